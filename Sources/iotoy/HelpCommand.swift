import ArgumentParser
import IOToyClient

/// `iotoy help DEVICE/path`: what a resource is and how to use it.
struct HelpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help", abstract: "Show a resource's help text, type, limits, or a function's spec.")

    @Argument(help: "DEVICE/path.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        // `iotoy help get`: the command's own help, as ArgumentParser's help command would give.
        if let command = IOToyCommand.configuration.subcommands.first(where: { $0._commandName == target }) {
            Output.line(IOToyCommand.helpMessage(for: command))
            return
        }
        try await reportingFailures {
            let (_, resource) = try await options.open(target)
            if options.json {
                try Output.json(try await resource.rawRepresentation())
                return
            }
            let representation = try await resource.representation()
            Output.line("\(resource.href): \(representation.help)")
            var rows: [[String]] = []
            switch resource.kind {
            case .directory:
                let names = if case .array(let names) = representation.value { names.map(Output.text) } else { [String]() }
                rows.append(["directory:", names.joined(separator: ", ")])
            case .attribute(let type):
                rows.append(["type:", type?.rawValue ?? "json"])
                if let methods = representation.methods { rows.append(["methods:", methods.joined(separator: ", ")]) }
                if let constraints = representation.constraints { rows.append(["limits:", constraints.summary]) }
                if let actions = representation.actions, !actions.isEmpty { rows.append(["actions:", actions.joined(separator: ", ")]) }
            case .function(let spec):
                if let spec {
                    rows.append(["function:", "\(resource.path.name ?? "") \(spec.wireDescription)"])
                    rows.append(["arguments:", spec.usage])
                    rows.append(["result:", spec.result.isEmpty ? "none" : spec.result.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ")])
                }
                rows.append(["usage:", resource.callUsage(target)])
            }
            Output.table(rows)
        }
    }
}

extension Constraints {
    /// `min 20, max 160 deg`.
    var summary: String {
        let bounds = [min.map { "min \(JSONValue.number($0).compactDescription)" }, max.map { "max \(JSONValue.number($0).compactDescription)" }]
            .compactMap { $0 }.joined(separator: ", ")
        return [bounds, unit ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
