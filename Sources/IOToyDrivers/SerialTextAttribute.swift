import IOToyCore

/// One attribute of a text-protocol device: how its value is read from the device's lines,
/// how it is written as a line, its type and its limits.
public struct SerialTextAttribute: Sendable {
    /// How the value is read: a query line (or none: only what the device sends on its own)
    /// and the pattern whose `value` capture is the value's text.
    public struct Read: Sendable {
        /// The line sent to ask; nil when the device sends the value unasked (a GPS).
        public var query: String?
        public var pattern: SerialTextPattern

        public init(query: String?, pattern: SerialTextPattern) {
            self.query = query
            self.pattern = pattern
        }
    }

    /// How the value is written: a line template with `{value}`, and the acknowledgement.
    public struct Write: Sendable {
        /// The placeholder replaced by the value's text.
        public static let placeholder = "{value}"
        /// The line sent, e.g. `RELAY1 {value}`.
        public var template: String
        /// A line the device answers when it took the value (`^OK$`); nil: nothing is awaited.
        public var expect: SerialTextPattern?
        /// Digits after the point for a float (nil: the shortest text that reads back exactly).
        public var decimals: Int?

        public init(template: String, expect: SerialTextPattern? = nil, decimals: Int? = nil) {
            self.template = template
            self.expect = expect
            self.decimals = decimals
        }
    }

    public let name: String
    /// int, float, bool or str.
    public let type: ValueType
    public var help: String
    /// Limits and unit (numbers only); enforced before anything is sent.
    public var constraints: Constraints?
    /// The device's words for values (`ON` → true), used both ways; when present, only
    /// these values can be written.
    public var map: [(text: String, value: Value)]
    public var read: Read
    public var write: Write?
    /// Lines the device sends unasked that match `read.pattern` update the value and go to the
    /// change feed. Always true without a query (such lines are the only source).
    public var listen: Bool

    public init(
        name: String, type: ValueType, help: String = "", constraints: Constraints? = nil, map: [(text: String, value: Value)] = [],
        read: Read, write: Write? = nil, listen: Bool = false
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.constraints = constraints
        self.map = map
        self.read = read
        self.write = write
        self.listen = listen || read.query == nil
    }

    /// The value the device's text stands for: through the map when there is one, else
    /// parsed as the type. Nil when it is neither.
    public func value(fromDeviceText text: String) -> Value? {
        if !map.isEmpty { return map.first { $0.text == text }?.value }
        return try? Value(text: text, as: type)
    }

    /// The text the device expects for `value`, or why it cannot be written.
    public func deviceText(for value: Value) throws(ComponentError) -> String {
        if !map.isEmpty {
            guard let entry = map.first(where: { $0.value == value }) else {
                throw ComponentError(
                    .outOfRange, "\(name) cannot be \(SerialTextAttribute.describe(value))",
                    detail: "one of " + map.map { SerialTextAttribute.describe($0.value) }.joined(separator: ", "))
            }
            return entry.text
        }
        if let constraints, let number = value.json.doubleValue, !constraints.contains(number) {
            let limits = [constraints.min.map { "min \(SerialTextAttribute.describe(.float($0)))" },
                          constraints.max.map { "max \(SerialTextAttribute.describe(.float($0)))" }]
            throw ComponentError(
                .outOfRange, "\(SerialTextAttribute.describe(value)) is outside the limits of \(name)",
                detail: limits.compactMap { $0 }.joined(separator: ", "))
        }
        switch value {
        case .int(let int): return String(int)
        case .float(let float): return write?.decimals.map { SerialTextAttribute.fixed(float, decimals: $0) } ?? String(float)
        case .bool(let bool): return bool ? "1" : "0"
        case .str(let text): return text
        case .json(let json): return json.compactDescription
        }
    }

    /// `value` with `decimals` digits after the point, rounded half away from zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let units = Int(scaled)
        let whole = units / Int(scale), fraction = units % Int(scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    static func describe(_ value: Value) -> String {
        switch value {
        case .float(let float) where float.rounded() == float && abs(float) < 1e15: String(Int(float))
        case .str(let text): "'\(text)'"
        default: value.json.compactDescription
        }
    }
}

/// A command without arguments: a line sent on `POST`, optionally acknowledged.
public struct SerialTextFunction: Sendable {
    public let name: String
    public var help: String
    /// The line sent.
    public var line: String
    /// A line the device answers when it has done it; nil: nothing is awaited.
    public var expect: SerialTextPattern?

    public init(name: String, help: String = "", line: String, expect: SerialTextPattern? = nil) {
        self.name = name
        self.help = help
        self.line = line
        self.expect = expect
    }
}
