import IOToyCore

/// Values as text on the serial wire, both ways.
public enum SerialValueFormat {
    /// How a value is sent: bools as `True`/`False` (the only spellings the original firmware
    /// accepts), numbers in decimal, strings raw.
    public static func text(_ value: Value) -> String {
        switch value {
        case .int(let int): String(int)
        case .float(let float): float == float.rounded() && abs(float) < 1e15 ? String(Int(float)) : "\(float)"
        case .bool(let bool): bool ? "True" : "False"
        case .str(let string): string
        case .json(let json): json.compactDescription
        }
    }

    /// Reads a value the device sent as `type`. Strings are taken raw; numbers must be finite.
    public static func value(_ text: String, as type: ValueType) throws(ValueConversionError) -> Value {
        switch type {
        case .str:
            return .str(text)
        case .float:
            let value = try Value(text: text.trimmingSpaces, as: .float)
            if case .float(let float) = value, !float.isFinite { throw ValueConversionError(expected: .float, input: text) }
            return value
        default:
            return try Value(text: text.trimmingSpaces, as: type)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
