import ArgumentParser
import IOToyClient

/// `iotoy call DEVICE/path [ARGS…]`: calls a function.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call a function and print its result.",
        discussion: "Arguments are converted to the types the function declares; surplus words join a last text argument.")

    @Argument(help: "DEVICE/path of a function.")
    var target: String

    @Argument(parsing: .captureForPassthrough, help: "The function's arguments.")
    var arguments: [String] = []

    @OptionGroup var options: ConnectionOptions

    func validate() throws {
        try ConnectionOptions.refuseOptions(in: arguments)
    }

    func run() async throws {
        try await reportingFailures {
            let (_, resource) = try await options.open(target)
            let result = try await resource.call(parsing: arguments)
            if options.json {
                try Output.json(.object(
                    ["type": .string(result.type), "value": result.value].merging(
                        result.name.map { ["name": .string($0)] } ?? [:]) { first, _ in first }))
            } else if result.type != TypeURI.null {
                Output.line(Output.text(result.value))
            }
        }
    }
}
