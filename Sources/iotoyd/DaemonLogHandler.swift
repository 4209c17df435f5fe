import Foundation
import IOToyCore
import Logging

/// How iotoyd writes its log to standard error.
///
/// - `text`: one line per message, `2026-11-27T12:00:00+0000 warning iotoyd: message key=value`;
///   under systemd (``underJournal``, from `JOURNAL_STREAM`) the line starts with its syslog
///   priority instead of a time (`<4>iotoyd: …`), which journald reads as the priority, so
///   `journalctl -p warning -u iotoyd` works, and adds the time itself.
/// - `json`: one JSON object per line for log shippers: `time`, `level`, `label`, `message`,
///   `metadata`.
struct DaemonLogHandler: LogHandler {
    enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    let label: String
    let format: Format
    let underJournal: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where lines go; standard error.
    let write: @Sendable (String) -> Void

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The syslog priority of a level (sd-daemon(3)): debug 7 … critical 2.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        write(line(level: event.level, message: event.message.description, metadata: all, date: Date()) + "\n")
    }

    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        switch format {
        case .json:
            let object: JSONValue = .object([
                "time": .string(Self.timestamp(date)), "level": .string(level.rawValue), "label": .string(label),
                "message": .string(message), "metadata": .object(metadata.mapValues(Self.json)),
            ])
            return (try? JSONCoding.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? message
        case .text:
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let text = "\(label): \(message)\(pairs.isEmpty ? "" : " " + pairs)"
            return underJournal ? "<\(Self.priority(level))>\(text)" : "\(Self.timestamp(date)) \(level) \(text)"
        }
    }

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let entries): .object(entries.mapValues(json))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
