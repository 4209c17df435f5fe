/// A typed IOTOY value: what an attribute holds and what functions take and return.
public enum Value: Sendable, Hashable {
    case int(Int)
    case float(Double)
    case str(String)
    case bool(Bool)
    case json(JSONValue)

    /// The value's IOTOY type.
    public var type: ValueType {
        switch self {
        case .int: .int
        case .float: .float
        case .str: .str
        case .bool: .bool
        case .json: .json
        }
    }

    /// The value as it appears in a JSON representation.
    public var json: JSONValue {
        switch self {
        case .int(let value): .int(value)
        case .float(let value): .double(value)
        case .str(let value): .string(value)
        case .bool(let value): .bool(value)
        case .json(let value): value
        }
    }
}

/// Why a text or JSON input could not become a value of the wanted type.
public struct ValueConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The type that was wanted.
    public let expected: ValueType
    /// The offending input, shortened for messages.
    public let input: String

    public init(expected: ValueType, input: String) {
        self.expected = expected
        self.input = input.count > 60 ? String(input.prefix(60)) + "…" : input
    }

    public var description: String { "'\(input)' is not a valid \(expected.rawValue)" }
}

extension Value {
    /// Spellings of booleans accepted from text, one rule: `true`, `t`, `yes`, `on`, `1` and
    /// `false`, `f`, `no`, `off`, `0`, in any letter case (the original client sends
    /// `True`/`False`, the original spec `1,true,t,T`).
    public static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "t", "yes", "on", "1": true
        case "false", "f", "no", "off", "0": false
        default: nil
        }
    }

    /// Parses raw text (a body with no Content-Type, text/plain, or a serial reply) as `type`.
    /// Numbers and bools ignore surrounding white space; strings are taken exactly.
    public init(text: String, as type: ValueType) throws(ValueConversionError) {
        let trimmed = text.trimmingWhitespace()
        switch type {
        case .int:
            guard let value = Int(trimmed) else { throw ValueConversionError(expected: type, input: text) }
            self = .int(value)
        case .float:
            // Decimal notation only (`2.5`, `-1e+16`): Swift would also take hex floats (`0x1p3`).
            guard trimmed.allSatisfy({ "0123456789+-.eE".contains($0) }), let value = Double(trimmed), value.isFinite else {
                throw ValueConversionError(expected: type, input: text)
            }
            self = .float(value)
        case .bool:
            guard let value = Value.parseBool(trimmed) else { throw ValueConversionError(expected: type, input: text) }
            self = .bool(value)
        case .str:
            self = .str(text)
        case .json:
            guard let value = try? JSONCoding.decode(JSONValue.self, from: Array(text.utf8)) else {
                throw ValueConversionError(expected: type, input: text)
            }
            self = .json(value)
        }
    }

    /// Converts a decoded JSON value to `type`. An int is a valid float; a float with a
    /// fractional part is not a valid int.
    public init(json: JSONValue, as type: ValueType) throws(ValueConversionError) {
        switch (type, json) {
        case (.int, .int(let value)): self = .int(value)
        case (.int, .double(let value)) where value.rounded() == value && abs(value) < 9e15: self = .int(Int(value))
        case (.float, .int(let value)): self = .float(Double(value))
        case (.float, .double(let value)): self = .float(value)
        case (.str, .string(let value)): self = .str(value)
        case (.bool, .bool(let value)): self = .bool(value)
        case (.json, let value): self = .json(value)
        default: throw ValueConversionError(expected: type, input: json.compactDescription)
        }
    }
}

extension JSONValue {
    /// A short JSON-ish text for messages.
    public var compactDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (a CRLF is one
    /// `Character` in Swift, so it is named too).
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
