import Foundation
import IOToyCore
import Yams

/// A YAML node with its key path, read strictly: every typed read either returns a value or
/// records a ``BoardError`` at the node's line and column. YAML 1.1's surprises are refused
/// rather than guessed: `010` (octal in YAML 1.1), `yes`/`no`/`on`/`off` as booleans.
struct Field {
    let node: Node
    let keyPath: [String]
    let report: ErrorSink

    var path: String { keyPath.joined(separator: ".") }
    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    func error(_ message: String) {
        report.add(BoardError(file: report.file, line: line, column: column, keyPath: path, message: message))
    }

    /// Something worth knowing that does not stop the board: `file:line:column: warning: …`.
    func warning(_ message: String) {
        report.warn(BoardError(file: report.file, line: line, column: column, keyPath: path, message: "warning: " + message))
    }

    var isPlainScalar: Bool { node.scalar?.style == .plain }

    /// A non-empty string. Plain scalars that YAML 1.1 would read as something else are refused.
    func string() -> String? {
        guard let scalar = node.scalar else {
            error("expected a string, found \(describe(node))")
            return nil
        }
        if scalar.style == .plain {
            if scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
                error("expected a string, found nothing")
                return nil
            }
            if Field.yaml11Booleans.contains(scalar.string.lowercased()) {
                error("'\(scalar.string)' is a boolean in YAML 1.1; quote it if you mean the string")
                return nil
            }
        }
        return scalar.string
    }

    /// An integer in `range`. Decimal, or hexadecimal with `0x`; a leading zero is refused.
    func int(in range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain else {
            error("expected an integer, found \(describe(node))")
            return nil
        }
        let text = scalar.string.replacingOccurrences(of: "_", with: "")
        var value: Int?
        if text.lowercased().hasPrefix("0x") {
            value = Int(text.dropFirst(2), radix: 16)
        } else if text.count > 1, text.hasPrefix("0") || text.hasPrefix("-0") || text.hasPrefix("+0") {
            error("'\(scalar.string)' has a leading zero, which YAML 1.1 reads as octal; write \(Int(text.drop { $0 == "0" || $0 == "+" }) ?? 0) or 0x…")
            return nil
        } else if text.lowercased().hasPrefix("0o") || text.lowercased().hasPrefix("0b") {
            value = nil
        } else {
            value = Int(text)
        }
        guard let value else {
            error("'\(scalar.string)' is not an integer")
            return nil
        }
        guard range.contains(value) else {
            error("\(value) is outside \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    /// A finite number.
    func number() -> Double? {
        guard let scalar = node.scalar, scalar.style == .plain,
              let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            error("expected a number, found \(describe(node))")
            return nil
        }
        if scalar.string.count > 1, scalar.string.hasPrefix("0"), !scalar.string.hasPrefix("0.") {
            error("'\(scalar.string)' has a leading zero, which YAML 1.1 reads as octal")
            return nil
        }
        return value
    }

    /// `true` or `false`, nothing else.
    func bool() -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain else {
            error("expected true or false, found \(describe(node))")
            return nil
        }
        switch scalar.string {
        case "true": return true
        case "false": return false
        default:
            error("expected true or false, found '\(scalar.string)'")
            return nil
        }
    }

    /// `[low, high]` with low < high, each in `range`.
    func pair(in range: ClosedRange<Double>) -> ClosedRange<Double>? {
        guard let items = node.sequence.map(Array.init), items.count == 2 else {
            error("expected [low, high], found \(describe(node))")
            return nil
        }
        let values = items.enumerated().compactMap { index, item in
            Field(node: item, keyPath: keyPath + ["\(index)"], report: report).number()
        }
        guard values.count == 2 else { return nil }
        guard values[0] < values[1] else {
            error("expected [low, high] with low < high, found [\(values[0]), \(values[1])]")
            return nil
        }
        guard range.contains(values[0]), range.contains(values[1]) else {
            error("[\(values[0]), \(values[1])] is outside \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return values[0]...values[1]
    }

    /// One of `choices`.
    func choice<T: RawRepresentable<String>>(_ type: T.Type, _ choices: [T]) -> T? {
        guard let text = string() else { return nil }
        guard let value = T(rawValue: text), choices.contains(where: { $0.rawValue == value.rawValue }) else {
            error("'\(text)' is not one of \(choices.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// The node as a mapping whose keys are all strings, or nil (error recorded).
    func mapping() -> MappingReader? {
        guard let mapping = node.mapping else {
            error("expected a mapping, found \(describe(node))")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                Field(node: key, keyPath: keyPath, report: report).error("keys must be plain names")
                continue
            }
            entries.append((name, key, value))
        }
        return MappingReader(field: self, entries: entries)
    }

    static let yaml11Booleans: Set<String> = ["yes", "no", "on", "off", "y", "n", "true", "false"]

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// A mapping read key by key. ``finish(allowed:)`` reports every key nobody asked for, so a
/// typo (`limts:`) is an error instead of a silently ignored setting.
final class MappingReader {
    let field: Field
    let entries: [(key: String, keyNode: Node, value: Node)]
    private var used: Set<String> = []

    init(field: Field, entries: [(key: String, keyNode: Node, value: Node)]) {
        self.field = field
        self.entries = entries
    }

    var keys: [String] { entries.map(\.key) }

    /// The value under `key`, if present.
    func optional(_ key: String) -> Field? {
        used.insert(key)
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        return Field(node: entry.value, keyPath: field.keyPath + [key], report: field.report)
    }

    /// The value under `key`; a missing key is reported.
    /// A misspelt key (`lnie:` for `line:`) is one mistake: it is reported once, by
    /// ``finish(known:)`` as an unknown key with the suggestion, not also as a missing one.
    func required(_ key: String, _ what: String) -> Field? {
        guard let value = optional(key) else {
            let misspelt = entries.contains { !used.contains($0.key) && editDistance($0.key, key) <= 2 }
            if !misspelt { field.error("missing '\(key)' (\(what))") }
            return nil
        }
        return value
    }

    /// The key node of `key` (for errors about the key itself).
    func keyField(_ key: String) -> Field? {
        entries.first { $0.key == key }.map { Field(node: $0.keyNode, keyPath: field.keyPath + [key], report: field.report) }
    }

    /// Reports keys that were never read and are not `known`. A known key left unread (its
    /// entry stopped at an earlier bad value) is not "unknown": that bad value is the one error.
    func finish(known: [String]) {
        for entry in entries where !used.contains(entry.key) && !known.contains(entry.key) {
            let suggestion = known.min { editDistance($0, entry.key) < editDistance($1, entry.key) }
                .flatMap { editDistance($0, entry.key) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            Field(node: entry.keyNode, keyPath: field.keyPath + [entry.key], report: field.report)
                .error("unknown key '\(entry.key)'\(suggestion); known keys: \(known.joined(separator: ", "))")
        }
    }
}

/// Collects errors while a board file is read.
final class ErrorSink {
    let file: String
    private(set) var errors: [BoardError] = []
    private(set) var warnings: [BoardError] = []

    init(file: String) {
        self.file = file
    }

    func add(_ error: BoardError) {
        errors.append(error)
    }

    func warn(_ warning: BoardError) {
        warnings.append(warning)
    }
}
