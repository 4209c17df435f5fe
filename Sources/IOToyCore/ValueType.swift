/// The IOTOY value types, as named on the serial wire (`int`, `float`, `str`, `bool`, `json`).
public enum ValueType: String, Sendable, Hashable, CaseIterable, Codable {
    case int, float, str, bool, json

    /// The qualified type string of a value representation, e.g. `iotoy.org/types/int`.
    public var typeURI: String { TypeURI.valuePrefix + rawValue }

    /// Parses a serial-wire type name. `T` (any) is treated as `str`, as the original host did.
    public init?(wireName: String) {
        switch wireName {
        case "T": self = .str
        default: self.init(rawValue: wireName)
        }
    }
}

/// The exact type strings of the IOTOY REST contract, including the original's
/// singular `type/` for directories and device descriptions.
public enum TypeURI {
    public static let directory = "iotoy.org/type/dir"
    public static let deviceDescription = "iotoy.org/type/json"
    public static let valuePrefix = "iotoy.org/types/"
    public static let function = "iotoy.org/types/function"
    public static let null = "iotoy.org/types/null"
    public static let exception = "iotoy.org/types/exception"
}
