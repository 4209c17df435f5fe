import ArgumentParser
import Foundation

/// `iotoyd`: serves a robot's hardware as IOTOY REST/JSON.
@main
struct IOToyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iotoyd",
        abstract: "Serve a board's GPIO lines, I2C sensors and servos as an IOTOY REST/JSON device.",
        discussion: "With no arguments, serves the bundled demo robot on simulated hardware at port 5000.",
        version: IOToyVersion.string,
        subcommands: [Serve.self, Check.self, ReloadCommand.self, Probe.self, Selftest.self, TokenCommand.self, OpenAPICommand.self],
        defaultSubcommand: Serve.self)

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let message = SubcommandSuggestion.message(
            for: arguments, subcommands: names, fileExists: { FileManager.default.fileExists(atPath: $0) }) {
            exit(withError: ValidationError(message))
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// The version printed by `--version` and advertised later over mDNS.
enum IOToyVersion {
    static let string = "0.1.0"
}
