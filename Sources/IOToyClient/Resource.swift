import IOToyCore

/// One resource of a device — a directory, an attribute or a function — reached by member
/// names as the original Python client did: `cat.front_left_leg.lift`.
///
/// Every step is checked against the device's own description (`/devinfo`), so a misspelt
/// name fails with ``IOToyClientError/noSuchResource(path:suggestions:)`` before anything is
/// sent. Names that clash with this type's own members (`value`, `set`, `call`, `path`…) are
/// reached by subscript: `cat["value"]`.
@dynamicMemberLookup
public struct Resource: Sendable, CustomStringConvertible {
    /// Where it is on the device.
    public let path: ResourcePath
    /// What it is.
    public let kind: ResourceKind
    /// The description of the device it belongs to.
    public let info: DeviceInfo
    let connection: IOToyConnection

    init(path: ResourcePath, info: DeviceInfo, connection: IOToyConnection) throws(IOToyClientError) {
        guard let kind = info.kind(of: path) else {
            let parent = path.parent ?? .root
            throw IOToyClientError.noSuchResource(path: path.description, suggestions: info.childNames(of: parent))
        }
        self.path = path
        self.kind = kind
        self.info = info
        self.connection = connection
    }

    /// The resource called `name` below this one.
    public subscript(dynamicMember name: String) -> Resource {
        get throws(IOToyClientError) { try self[name] }
    }

    /// The resource at `relative` below this one: a name, or a path such as `lift` or `leg/lift`.
    public subscript(relative: String) -> Resource {
        get throws(IOToyClientError) {
            let below: ResourcePath
            do { below = try ResourcePath(parsing: relative) } catch {
                throw IOToyClientError.invalidPath(relative, reason: error.description)
            }
            return try Resource(path: path.appending(below), info: info, connection: connection)
        }
    }

    /// The help text from the device's description.
    public var help: String {
        if path == DeviceInfo.deviceInfoPath { return "Device description" }
        return info.attributes[path]?.help ?? info.functions[path]?.help ?? ""
    }

    /// `/front_left_leg/lift (an attribute (float))`.
    public var description: String { "\(path) (\(kind))" }

    /// The full representation: `type`, `href`, `help`, `value`, `methods`, `constraints`…
    /// `fresh` asks the device to read the hardware now rather than answer its last sample.
    public func representation(fresh: Bool = false) async throws -> Representation {
        Representation(lenient: try await rawRepresentation(fresh: fresh), href: href)
    }

    /// The representation exactly as the device sent it, unknown fields included.
    public func rawRepresentation(fresh: Bool = false) async throws -> JSONValue {
        try await connection.get(href, fresh: fresh)
    }

    /// The resource's href: `/front_left_leg/` for a directory, `/front_left_leg/lift` otherwise.
    public var href: String { kind == .directory ? path.directoryHref : path.description }

    /// An attribute's current value: `try await cat.climate.temperature.value()`.
    public func value(fresh: Bool = false) async throws -> JSONValue {
        try require(attribute: "read")
        return try await representation(fresh: fresh).value
    }

    /// Sets an attribute and answers its representation read back (`.value` is the value):
    /// `try await cat.front_left_leg.lift.set(45)`.
    /// The value is converted to the attribute's type first; a value outside the device's
    /// limits fails with a 422 ``IOToyException`` naming them.
    @discardableResult
    public func set(_ value: some IOToyArgument) async throws -> Representation {
        try await set(.swift(value))
    }

    /// Sets an attribute from text as typed on a command line (`45`, `True`, `hello world`).
    @discardableResult
    public func set(parsing text: String) async throws -> Representation {
        try await set(.text(text))
    }

    private func set(_ value: OutgoingValue) async throws -> Representation {
        let type = try require(attribute: "set")
        let json: JSONValue
        do { json = try value.converted(to: type) } catch {
            throw IOToyClientError.badArgument(path: path.description, reason: error.description)
        }
        return Representation(lenient: try await connection.put(path.description, value: json), href: path.description)
    }

    /// Calls a function: `try await robot.forward(10)`. Answers its result, nil when it has none.
    @discardableResult
    public func callAsFunction(_ arguments: any IOToyArgument...) async throws -> JSONValue? {
        try await call(arguments)
    }

    /// Calls a function with arguments in an array; answers its result, nil when it has none.
    @discardableResult
    public func call(_ arguments: [any IOToyArgument]) async throws -> JSONValue? {
        let result = try await call(arguments.map(OutgoingValue.swift))
        return result.type == TypeURI.null ? nil : result.value
    }

    /// Calls a function with arguments as typed on a command line, and answers the device's
    /// whole answer (`type`, `name`, `value`). When the last parameter is a string, surplus
    /// words join it, as on the IOTOY serial line (`say hello world`).
    public func call(parsing words: [String]) async throws -> CallResult {
        var words = words
        if case .function(let spec?) = kind, let last = spec.args.last, last.type == .str, words.count > spec.args.count,
           spec.args.count > 0 {
            let rest = words[(spec.args.count - 1)...].joined(separator: " ")
            words = Array(words.prefix(spec.args.count - 1)) + [rest]
        }
        return try await call(words.map(OutgoingValue.text))
    }

    private func call(_ arguments: [OutgoingValue]) async throws -> CallResult {
        guard case .function(let spec) = kind else {
            throw IOToyClientError.wrongKind(path: path.description, is: kind.description, wanted: "a function")
        }
        var json: [JSONValue] = []
        if let spec {
            guard spec.args.count == arguments.count else {
                throw IOToyClientError.wrongArgumentCount(path: path.description, usage: spec.usage, given: arguments.count)
            }
            for (parameter, argument) in zip(spec.args, arguments) {
                do { json.append(try argument.converted(to: parameter.type)) } catch {
                    throw IOToyClientError.badArgument(path: path.description, reason: "\(parameter.name): \(error.description)")
                }
            }
        } else {
            json = arguments.map { (try? $0.converted(to: nil)) ?? .null }
        }
        let answer = try await connection.post(path.description, arguments: json)
        return CallResult(
            type: answer[member: "type"]?.stringValue ?? "", name: answer[member: "name"]?.stringValue,
            value: answer[member: "value"] ?? .null)
    }

    /// The names in a directory, in the device's order: `try await cat.front_left_leg.children()`.
    public func children() async throws -> [String] {
        guard kind == .directory else {
            throw IOToyClientError.wrongKind(path: path.description, is: kind.description, wanted: "a directory")
        }
        guard case .array(let names) = try await representation().value else {
            throw IOToyClientError.unexpectedAnswer(url: path.directoryHref, status: 200, reason: "a directory without a list of names")
        }
        return names.compactMap(\.stringValue)
    }

    @discardableResult
    private func require(attribute operation: String) throws(IOToyClientError) -> ValueType? {
        guard case .attribute(let type) = kind else {
            throw IOToyClientError.wrongKind(path: path.description, is: kind.description, wanted: "an attribute to \(operation)")
        }
        return type
    }
}

extension FunctionSpec {
    /// How to call it: `no arguments`, `dist:int`, `a:int b:float`.
    public var usage: String {
        args.isEmpty ? "no arguments" : args.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ")
    }
}
