import IOToyCore
import IOToyDrivers

extension SerialTextKind {
    static let attributeKeys = ["type", "help", "unit", "min", "max", "map", "read", "write", "listen"]
    static let types: [ValueType] = [.int, .float, .bool, .str]

    /// One attribute: its type and limits, `read: { query, pattern }`, `write: { send,
    /// expect, decimals }`, `map` and `listen`.
    static func readAttribute(_ name: String, _ field: Field) -> SerialTextAttribute? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish(known: attributeKeys) }
        guard let type = map.required("type", "int, float, bool or str")?.choice(ValueType.self, types) else { return nil }
        var valid = true
        var help: String?
        if let field = map.optional("help") {
            if let text = field.string() { help = text } else { valid = false }
        }
        guard let constraints = readLimits(map, type: type) else { return nil }
        let valueMap = map.optional("map").flatMap { readMap($0, type: type) }
        if map.optional("map") != nil, valueMap == nil { valid = false }
        guard let readField = map.required("read", "{ query: LINE, pattern: PATTERN with (?<value>…) }; without query, lines the device sends unasked"),
              let read = readReadSpec(readField) else { return nil }
        var write: SerialTextAttribute.Write?
        if let field = map.optional("write") {
            if let spec = readWriteSpec(field, type: type) { write = spec } else { valid = false }
        }
        var listen = false
        if let field = map.optional("listen") {
            if let value = field.bool() {
                listen = value
                if !value, read.query == nil {
                    field.error("an attribute without a query is only ever updated by lines the device sends unasked; it always listens")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        let defaultHelp = read.query.map { "Asked with '\($0)'" } ?? "Sent by the device unasked"
        return SerialTextAttribute(
            name: name, type: type, help: help ?? defaultHelp, constraints: constraints, map: valueMap ?? [],
            read: read, write: write, listen: listen)
    }

    /// `min`, `max` and `unit`, for numbers only. The outer optional is nil on error.
    private static func readLimits(_ map: MappingReader, type: ValueType) -> Constraints?? {
        let numeric = type == .int || type == .float
        var bounds: [Double?] = []
        for key in ["min", "max"] {
            guard let field = map.optional(key) else {
                bounds.append(nil)
                continue
            }
            guard numeric else {
                field.error("\(key) applies to int and float attributes, not \(type.rawValue)")
                return .none
            }
            guard let value = type == .int ? field.int(in: Int.min...Int.max).map(Double.init) : field.number() else { return .none }
            bounds.append(value)
        }
        if let low = bounds[0], let high = bounds[1], low > high {
            map.optional("max")?.error("max \(high) is below min \(low)")
            return .none
        }
        var unit: String?
        if let field = map.optional("unit") {
            guard numeric else {
                field.error("unit applies to int and float attributes, not \(type.rawValue)")
                return .none
            }
            guard let text = field.string() else { return .none }
            unit = text
        }
        guard bounds[0] != nil || bounds[1] != nil || unit != nil else { return .some(nil) }
        return .some(Constraints(min: bounds[0], max: bounds[1], unit: unit))
    }

    /// `map: { DEVICE_TEXT: value, … }`, each value of the attribute's type.
    private static func readMap(_ field: Field, type: ValueType) -> [(text: String, value: Value)]? {
        guard let map = field.mapping() else { return nil }
        guard !map.keys.isEmpty else {
            field.error("map needs at least one entry: the device's text and the value it stands for")
            return nil
        }
        var entries: [(text: String, value: Value)] = []
        for text in map.keys {
            guard let entry = map.optional(text) else { continue }
            let value: Value? = switch type {
            case .int: entry.int(in: Int.min...Int.max).map(Value.int)
            case .float: entry.number().map(Value.float)
            case .bool: entry.bool().map(Value.bool)
            default: entry.string().map(Value.str)
            }
            guard let value else { return nil }
            entries.append((text, value))
        }
        return entries
    }

    private static func readReadSpec(_ field: Field) -> SerialTextAttribute.Read? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish(known: ["query", "pattern"]) }
        var query: String?
        if let field = map.optional("query") {
            guard let line = field.sentLine() else { return nil }
            query = line
        }
        guard let pattern = map.required("pattern", "a pattern with the named capture (?<value>…)")?.textPattern(needsValue: true) else { return nil }
        return SerialTextAttribute.Read(query: query, pattern: pattern)
    }

    private static func readWriteSpec(_ field: Field, type: ValueType) -> SerialTextAttribute.Write? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish(known: ["send", "expect", "decimals"]) }
        guard let sendField = map.required("send", "the line sent, with {value} where the value goes"),
              let template = sendField.sentLine() else { return nil }
        guard template.contains(SerialTextAttribute.Write.placeholder) else {
            sendField.error("'\(template)' has no {value} for the value")
            return nil
        }
        var write = SerialTextAttribute.Write(template: template)
        if let field = map.optional("expect") {
            guard let pattern = field.textPattern(needsValue: false) else { return nil }
            write.expect = pattern
        }
        if let field = map.optional("decimals") {
            guard type == .float else {
                field.error("decimals applies to float attributes, not \(type.rawValue)")
                return nil
            }
            guard let decimals = field.int(in: 0...9) else { return nil }
            write.decimals = decimals
        }
        return write
    }
}
