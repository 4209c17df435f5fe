import ArgumentParser
import IOToyClient

/// `iotoy set DEVICE/path VALUE`: sets an attribute.
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set an attribute and print the value read back.",
        discussion: "VALUE is converted to the attribute's type first: 45, 2.5, True/False or 1/0, text.")

    @Argument(help: "DEVICE/path of an attribute.")
    var target: String

    @Argument(parsing: .captureForPassthrough, help: "The new value (negative numbers and words as they are).")
    var value: [String]

    @OptionGroup var options: ConnectionOptions

    func validate() throws {
        try ConnectionOptions.refuseOptions(in: value)
    }

    func run() async throws {
        try await reportingFailures {
            let (_, resource) = try await options.open(target)
            let representation = try await resource.set(parsing: value.joined(separator: " "))
            if options.json {
                try Output.json(representation.json)
            } else {
                Output.line(Output.text(representation.value) + (representation.constraints?.unit.map { " \($0)" } ?? ""))
            }
        }
    }
}
