/// The JSON representation of every IOTOY resource:
/// `{"type", "href", "help", "value"}` plus the optional `methods` and `constraints`.
public struct Representation: Sendable, Hashable, Codable {
    public var type: String
    public var href: String
    public var help: String
    public var value: JSONValue
    /// HTTP methods the resource accepts, e.g. `["GET", "PUT"]`.
    public var methods: [String]?
    /// Limits enforced on writes.
    public var constraints: Constraints?
    /// When the value was sampled, in seconds since the Unix epoch (cached values only).
    public var timestamp: Double?
    /// Functions mounted below an attribute (`toggle` below `/eyes`), relative to it.
    public var actions: [String]?

    public init(
        type: String, href: String, help: String, value: JSONValue,
        methods: [String]? = nil, constraints: Constraints? = nil, timestamp: Double? = nil
    ) {
        self.type = type
        self.href = href
        self.help = help
        self.value = value
        self.methods = methods
        self.constraints = constraints
        self.timestamp = timestamp
    }
}

extension Representation {
    /// A directory: `value` lists the child names relative to it.
    public static func directory(at path: ResourcePath, help: String, children: [String]) -> Representation {
        Representation(
            type: TypeURI.directory, href: path.directoryHref, help: help,
            value: .array(children.map(JSONValue.string)))
    }

    /// A function: `value` is `{"name", "spec"}`.
    public static func function(at path: ResourcePath, help: String, spec: FunctionSpec) -> Representation {
        Representation(
            type: TypeURI.function, href: path.description, help: help,
            value: .object(["name": .string(path.name ?? ""), "spec": spec.jsonValue]))
    }

    /// The answer to a call: the bare result type with its name and value, or the null type.
    public static func callResult(_ result: Value?, spec: FunctionSpec) -> CallResult {
        guard let result, let parameter = spec.result.first else { return CallResult(type: TypeURI.null, name: nil, value: .null) }
        return CallResult(type: parameter.type.rawValue, name: parameter.name, value: result.json)
    }
}

/// The answer to `POST /<func>`: `{"type": "int", "name": "result", "value": 41}` or
/// `{"type": "iotoy.org/types/null", "value": null}`.
public struct CallResult: Sendable, Hashable, Codable {
    public let type: String
    public let name: String?
    public let value: JSONValue

    public init(type: String, name: String?, value: JSONValue) {
        self.type = type
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case type, name, value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(value, forKey: .value)
    }
}

extension FunctionSpec {
    /// The spec as a JSON value with bare type names.
    public var jsonValue: JSONValue {
        .object([
            "args": .array(args.map { .array([.string($0.name), .string($0.type.rawValue)]) }),
            "result": .array(result.map { .array([.string($0.name), .string($0.type.rawValue)]) }),
        ])
    }
}
