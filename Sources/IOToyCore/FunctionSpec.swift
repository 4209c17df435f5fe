/// A named, typed parameter or result of a function: `dist:int`.
public struct Parameter: Sendable, Hashable {
    public let name: String
    public let type: ValueType

    public init(_ name: String, _ type: ValueType) {
        self.name = name
        self.type = type
    }
}

/// A function's calling spec: its arguments and (zero or one) results.
/// Encoded as the contract says: `{"args": [[name, type]…], "result": [[name, type]…]}`.
public struct FunctionSpec: Sendable, Hashable, Codable {
    public let args: [Parameter]
    public let result: [Parameter]

    public init(args: [Parameter] = [], result: [Parameter] = []) {
        self.args = args
        self.result = result
    }

    enum CodingKeys: String, CodingKey { case args, result }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(args.map { [$0.name, $0.type.rawValue] }, forKey: .args)
        try container.encode(result.map { [$0.name, $0.type.rawValue] }, forKey: .result)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func decodePairs(_ key: CodingKeys) throws -> [Parameter] {
            try container.decode([[String]].self, forKey: key).map { pair in
                guard pair.count == 2, let type = ValueType(wireName: pair[1]) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "expected [name, type]")
                }
                return Parameter(pair[0], type)
            }
        }
        args = try decodePairs(.args)
        result = try decodePairs(.result)
    }

    /// The serial-wire form of the spec: `dist:int -> result:int`, `-> ` when empty.
    public var wireDescription: String {
        let left = args.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ")
        let right = result.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ")
        return [left, "->", right].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
