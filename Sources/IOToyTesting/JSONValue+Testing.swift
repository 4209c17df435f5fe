import IOToyCore

extension JSONValue {
    /// The decoded JSON of an answer's body.
    public static func decoding(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONCoding.decode(JSONValue.self, from: bytes)
    }

    /// The member `key` of an object; nil for anything else.
    public subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` of an array; nil for anything else or out of range.
    public subscript(_ index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    /// A directory listing's names: the strings of an array.
    public var names: [String]? {
        if case .array(let items) = self { return items.compactMap(\.stringValue) }
        return nil
    }
}
