import Foundation
import IOToyClient

/// Writing results: lines to standard output, messages to standard error, JSON for scripts.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One JSON document on one line, keys sorted.
    static func json(_ value: JSONValue) throws {
        line(String(decoding: try JSONCoding.encode(value), as: UTF8.self))
    }

    /// A value as a person reads it: strings bare, numbers as they are, JSON for the rest.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string
        case .int(let int): String(int)
        case .double(let double): String(double)
        case .bool(let bool): String(bool)
        case .null: "null"
        case .array, .object: (try? JSONCoding.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
    }

    /// Rows as aligned columns; the last column is not padded.
    static func table(_ rows: [[String]]) {
        guard let width = rows.map(\.count).max() else { return }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < width - 1 { widths[index] = max(widths[index], cell.count) }
        }
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index < row.count - 1 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }
            line(cells.joined(separator: "  ").trimmingTrailingSpaces())
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

extension Representation {
    /// The representation as JSON, as the device sent it (minus fields this client ignores).
    var json: JSONValue {
        (try? JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(self))) ?? .null
    }
}
