import ArgumentParser
import IOToyClient

/// `iotoy ls DEVICE[/path]`: what a directory holds.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List a directory's resources with their types and help.")

    @Argument(help: "DEVICE or DEVICE/path.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let (_, resource) = try await options.open(target)
            var entries = [resource]
            if resource.kind == .directory {
                entries = try await resource.children().compactMap { try? resource[$0] }
            }
            var rows: [[String]] = []
            var json: [JSONValue] = []
            for entry in entries {
                let help = try await entry.describedHelp()
                rows.append([entry.listedName, entry.kind == .directory ? "" : entry.shortKind, help])
                json.append(entry.listingJSON(help: help))
            }
            if options.json {
                try Output.json(.array(json))
            } else {
                Output.table(rows)
            }
        }
    }
}
