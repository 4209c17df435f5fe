import IOToyCore

/// A Swift value that can be sent as an attribute value or a function argument:
/// `Int`, `Double`, `Float`, `String`, `Bool`, and `JSONValue` for anything else.
/// It is converted to the type the device declares before anything is sent, so
/// `lift.set(45)` works on a `float` attribute and `lift.set("high")` fails locally.
public protocol IOToyArgument: Sendable {
    /// The value as JSON.
    var jsonArgument: JSONValue { get }
}

extension Int: IOToyArgument {
    public var jsonArgument: JSONValue { .int(self) }
}

extension Double: IOToyArgument {
    public var jsonArgument: JSONValue { .double(self) }
}

extension Float: IOToyArgument {
    public var jsonArgument: JSONValue { .double(Double(self)) }
}

extension String: IOToyArgument {
    public var jsonArgument: JSONValue { .string(self) }
}

extension Bool: IOToyArgument {
    public var jsonArgument: JSONValue { .bool(self) }
}

extension JSONValue: IOToyArgument {
    public var jsonArgument: JSONValue { self }
}

/// One value on its way to the device: a Swift value, or text typed on a command line.
enum OutgoingValue: Sendable {
    case swift(any IOToyArgument)
    case text(String)

    /// Converts to `type` (anything goes when the type is unknown), or says why not.
    func converted(to type: ValueType?) throws(ValueConversionError) -> JSONValue {
        switch (self, type) {
        case (.swift(let value), let type?): try Value(json: value.jsonArgument, as: type).json
        case (.swift(let value), nil): value.jsonArgument
        case (.text(let text), let type?): try Value(text: text, as: type).json
        case (.text(let text), nil): .string(text)
        }
    }
}
