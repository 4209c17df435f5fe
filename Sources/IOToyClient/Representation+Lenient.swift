import IOToyCore

extension Representation {
    /// Reads a representation as a device sent it, tolerating what other IOTOY servers omit
    /// (the original host sends no `methods`, `constraints` or `timestamp`) and ignoring fields
    /// this client does not know, as the contract asks.
    public init(lenient json: JSONValue, href requested: String) {
        self.init(
            type: json[member: "type"]?.stringValue ?? "",
            href: json[member: "href"]?.stringValue ?? requested,
            help: json[member: "help"]?.stringValue ?? "",
            value: json[member: "value"] ?? .null,
            methods: json[member: "methods"].flatMap { methods in
                guard case .array(let items) = methods else { return nil }
                return items.compactMap(\.stringValue)
            },
            constraints: json[member: "constraints"].flatMap { constraints in
                guard case .object = constraints else { return nil }
                return Constraints(
                    min: constraints[member: "min"]?.doubleValue, max: constraints[member: "max"]?.doubleValue,
                    unit: constraints[member: "unit"]?.stringValue)
            },
            timestamp: json[member: "timestamp"]?.doubleValue)
        if case .array(let actions)? = json[member: "actions"] { self.actions = actions.compactMap(\.stringValue) }
    }
}
