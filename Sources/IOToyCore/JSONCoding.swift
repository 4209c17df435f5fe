#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one place JSON is encoded and decoded, so every answer has the same shape:
/// sorted keys (stable across processes) and unescaped slashes (`"/eyes"`, not `"\/eyes"`).
public enum JSONCoding {
    /// Encodes `value` to UTF-8 JSON bytes.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Encodes `value` indented for people (files kept in the repository), keys sorted.
    public static func encodePretty(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }

    /// Decodes `type` from UTF-8 JSON bytes. Top-level fragments (`45`, `"x"`, `true`) are allowed.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        return try decoder.decode(type, from: Data(bytes))
    }
}
