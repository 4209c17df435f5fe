import IOToyCore

/// What a resource is, as the device describes it.
public enum ResourceKind: Sendable, Hashable, CustomStringConvertible {
    /// A directory of further resources.
    case directory
    /// An attribute of an IOTOY value type (nil when the device names a type this client does
    /// not know; its values are then passed through as JSON).
    case attribute(ValueType?)
    /// A function with its calling spec (nil when the device gave none that parses).
    case function(FunctionSpec?)

    public var description: String {
        switch self {
        case .directory: "a directory"
        case .attribute(let type): "an attribute" + (type.map { " (\($0.rawValue))" } ?? "")
        case .function: "a function"
        }
    }
}

/// `GET /devinfo`, read: the device's name and every attribute and function, keyed by its
/// path relative to the root (`front_left_leg/lift`; a flat device's keys are plain names).
public struct DeviceInfo: Sendable, Hashable {
    /// An attribute as listed in `attrs`.
    public struct Attribute: Sendable, Hashable {
        /// The type name as the device gave it (`int`, `float`, `str`, `bool`, `json`, `T`…).
        public let typeName: String
        public let help: String
        public var type: ValueType? { ValueType(wireName: typeName) }
    }

    /// A function as listed in `funcs`.
    public struct Function: Sendable, Hashable {
        public let help: String
        public let spec: FunctionSpec?
    }

    /// The device id (`devicename`).
    public let name: String
    public let attributes: [ResourcePath: Attribute]
    public let functions: [ResourcePath: Function]

    public init(name: String, attributes: [ResourcePath: Attribute], functions: [ResourcePath: Function]) {
        self.name = name
        self.attributes = attributes
        self.functions = functions
    }

    /// Reads the `value` of a `/devinfo` representation. Keys that are not resource paths are
    /// skipped rather than failing the whole description.
    public init(devinfo json: JSONValue) throws(IOToyClientError) {
        guard let value = json[member: "value"], case .object(let object) = value else {
            throw IOToyClientError.unexpectedAnswer(url: "/devinfo", status: 200, reason: "no device description in the answer")
        }
        name = object["devicename"]?.stringValue ?? ""
        var attributes: [ResourcePath: Attribute] = [:]
        if case .object(let attrs)? = object["attrs"] {
            for (key, entry) in attrs {
                guard let path = try? ResourcePath(parsing: key) else { continue }
                attributes[path] = Attribute(
                    typeName: entry[member: "type"]?.stringValue ?? "json", help: entry[member: "help"]?.stringValue ?? "")
            }
        }
        var functions: [ResourcePath: Function] = [:]
        if case .object(let funcs)? = object["funcs"] {
            for (key, entry) in funcs {
                guard let path = try? ResourcePath(parsing: key) else { continue }
                let spec = entry[member: "value"]?[member: "spec"].flatMap { spec in
                    try? JSONCoding.decode(FunctionSpec.self, from: JSONCoding.encode(spec))
                }
                functions[path] = Function(help: entry[member: "help"]?.stringValue ?? "", spec: spec)
            }
        }
        self.attributes = attributes
        self.functions = functions
    }

    /// What is at `path`: an attribute, a function, a directory (the root, or a path with
    /// resources below it), or nothing.
    public func kind(of path: ResourcePath) -> ResourceKind? {
        if let attribute = attributes[path] { return .attribute(attribute.type) }
        if let function = functions[path] { return .function(function.spec) }
        if path.isRoot || path == Self.deviceInfoPath { return path.isRoot ? .directory : .attribute(.json) }
        let below = attributes.keys.contains { $0 != path && $0.hasPrefix(path) } || functions.keys.contains { $0 != path && $0.hasPrefix(path) }
        return below ? .directory : nil
    }

    /// The names directly below `path` that the description knows of, sorted.
    public func childNames(of path: ResourcePath) -> [String] {
        let depth = path.segments.count
        var names = Set<String>()
        for key in Array(attributes.keys) + Array(functions.keys) where key.segments.count > depth && key.hasPrefix(path) {
            names.insert(key.segments[depth])
        }
        return names.sorted()
    }

    /// `/devinfo` itself, listed in the root directory.
    public static let deviceInfoPath = try! ResourcePath(parsing: "/devinfo")
}
