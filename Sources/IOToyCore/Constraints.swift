/// Limits an attribute enforces, published in its representation as `constraints`
/// (for example `{"min": 20, "max": 160, "unit": "deg"}`).
public struct Constraints: Sendable, Hashable, Codable {
    /// The smallest accepted value, inclusive.
    public let min: Double?
    /// The largest accepted value, inclusive.
    public let max: Double?
    /// The unit of the value, e.g. `deg`, `degC`, `hPa`, `%RH`.
    public let unit: String?

    public init(min: Double? = nil, max: Double? = nil, unit: String? = nil) {
        self.min = min
        self.max = max
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey { case min, max, unit }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let min { try container.encode(JSONValue.number(min), forKey: .min) }
        if let max { try container.encode(JSONValue.number(max), forKey: .max) }
        try container.encodeIfPresent(unit, forKey: .unit)
    }

    /// True when `number` lies within `min...max` (either bound may be absent).
    public func contains(_ number: Double) -> Bool {
        if let min, number < min { return false }
        if let max, number > max { return false }
        return true
    }
}
