import ArgumentParser
import IOToyClient

/// `iotoy get DEVICE/path`: an attribute's value.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print an attribute's value (with its unit), or what a directory holds.")

    @Argument(help: "DEVICE/path of an attribute.")
    var target: String

    @Flag(help: "Read the hardware now instead of the device's last sample.")
    var fresh = false

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let (_, resource) = try await options.open(target)
            if options.json {
                try Output.json(try await resource.rawRepresentation(fresh: fresh))
                return
            }
            let representation = try await resource.representation(fresh: fresh)
            switch resource.kind {
            case .attribute:
                let unit = representation.constraints?.unit.map { " \($0)" } ?? ""
                Output.line(Output.text(representation.value) + unit)
            case .directory:
                if case .array(let names) = representation.value { names.forEach { Output.line(Output.text($0)) } }
            case .function:
                Output.line("\(resource.href) is a function; call it with: \(resource.callUsage(target))")
            }
        }
    }
}
