import ArgumentParser
import Foundation
import IOToyClient
import UnixSignals

/// `iotoy watch DEVICE[/path]`: one line per change the device pushes, until Ctrl-C.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print each change of a resource and everything below it as the device pushes it (Ctrl-C ends).",
        discussion: """
            One line per event: time, path, value (`12:00:01.234  /bumper  true`); faults and \
            recoveries say so. The current values come first. After a network drop iotoy \
            reconnects by itself and resumes where it left off.
            """)

    @Argument(help: "DEVICE or DEVICE/path (the whole device when no path is given).")
    var target: String

    @Option(name: .customLong("rate-ms"), help: "At most one value per resource per this many milliseconds (the latest wins).")
    var rateMilliseconds: Int?

    @OptionGroup var options: ConnectionOptions

    func validate() throws {
        if let rateMilliseconds, !(1...3_600_000).contains(rateMilliseconds) {
            throw ValidationError("--rate-ms takes milliseconds from 1 to 3600000, not \(rateMilliseconds)")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let (device, resource) = try await options.open(target.contains("/") ? target : target + "/")
            let events = device.connection.events(resource.href, rateMilliseconds: rateMilliseconds) { reason in
                Output.error("iotoy: \(reason); reconnecting…")
            }
            let json = options.json
            // Ctrl-C (or a TERM) ends the watch cleanly, with status 0.
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await event in events { try WatchCommand.print(event, json: json) }
                }
                group.addTask {
                    for await _ in signals { return }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    static let timeFormat: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        return formatter
    }()

    static func print(_ event: ServerSentEvent, json: Bool) throws {
        guard let change = Change(event) else { return }
        if json {
            var object: [String: JSONValue] = ["event": .string(change.kind), "data": change.data]
            if let id = change.id { object["id"] = .int(Int(id)) }
            try Output.json(.object(object))
            return
        }
        let time = change.timestamp.map { timeFormat.string(from: Date(timeIntervalSince1970: $0)) } ?? "            "
        let what: String = switch change.kind {
        case "value", "call": change.value.map(Output.text) ?? "null"
        case "fault": "fault: \(change.message ?? "")"
        case "recovered": "recovered"
        case "tree": "the device's resources changed"
        default: change.message ?? change.kind
        }
        Output.line([time, change.href.isEmpty ? "-" : change.href, what].joined(separator: "  "))
    }
}
