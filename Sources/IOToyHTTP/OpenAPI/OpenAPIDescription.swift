import IOToyCore
import IOToyDispatcher

/// The OpenAPI 3.1 description of a running device's REST API (`GET /_openapi.json`): one
/// path per resource of its tree, with the value schema of each attribute (its type, limits and
/// unit), the arguments of each function, the exception representation with every status the
/// operation can answer, and the daemon's own `_` routes that this daemon serves.
///
/// Generated from the tree, so it is true to the board: a peer tool (schemathesis, in CI) reads
/// it and checks every answer against it.
public struct OpenAPIDescription: Sendable {
    /// The routes beside the tree this daemon serves.
    public struct Features: Sendable, Hashable {
        /// `GET /metrics`.
        public var metrics: Bool
        /// `POST /_reload` can reload a board file (otherwise it answers 409).
        public var reload: Bool
        /// `server.auth`: tokens, 401/403/429, `/_login` and `/_logout`.
        public var auth: Bool

        public init(metrics: Bool = true, reload: Bool = true, auth: Bool = false) {
            self.metrics = metrics
            self.reload = reload
            self.auth = auth
        }
    }

    let tree: ResourceTree
    let features: Features

    public init(tree: ResourceTree, features: Features) {
        self.tree = tree
        self.features = features
    }

    /// The description as JSON (keys are written sorted).
    public var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        for (path, node) in tree.nodes {
            switch node {
            case .directory(let directory): paths[path.isRoot ? "/" : path.description] = directoryItem(directory)
            case .attribute(let attribute): paths[path.description] = attributeItem(attribute)
            case .function(let function): paths[path.description] = functionItem(function)
            }
        }
        paths["/" + ResourceTree.deviceInfoName] = .object(["get": operation(
            "get_devinfo", "The device description: every attribute and function", tag: "tree",
            ok: Self.jsonContent(Self.reference("DeviceInfo")), refusals: [])])
        for (route, item) in ownRoutes { paths[route] = item }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("iotoyd: \(tree.device)"),
                "version": .string("1"),
                "description": .string("The IOTOY REST API of the device '\(tree.device)', generated from its resource tree."),
            ]),
            "paths": .object(paths),
            "components": .object(["schemas": .object(Self.schemas), "responses": .object(Self.responses)].merging(securityComponents) { $1 }),
        ].merging(features.auth ? ["security": .array([.object(["token": .array([])]), .object(["session": .array([])])])] : [:]) { $1 })
    }

    // MARK: The tree

    private func directoryItem(_ directory: ResourceTree.Directory) -> JSONValue {
        let id = Self.operationName(directory.path)
        let ok = Self.jsonContent(Self.reference("Directory"))
        return .object([
            "get": operation("get_" + id, directory.help.isEmpty ? "A directory" : directory.help, tag: "tree", ok: ok, refusals: [], streams: true),
            "head": head("head_" + id),
            "options": options("options_" + id, allow: "GET, HEAD, OPTIONS"),
        ])
    }

    private func attributeItem(_ attribute: ResourceTree.Attribute) -> JSONValue {
        let id = Self.operationName(attribute.path)
        let value = Self.valueSchema(attribute.info)
        let representation = Self.attributeRepresentation(attribute, value: value)
        var item: [String: JSONValue] = [
            "get": operation(
                "get_" + id, attribute.info.help, tag: "tree", ok: Self.jsonContent(representation),
                refusals: [503, 504], parameters: [Self.freshParameter], streams: true),
            "head": head("head_" + id, parameters: [Self.freshParameter]),
            "options": options("options_" + id, allow: attribute.info.writable ? "GET, HEAD, PUT, OPTIONS" : "GET, HEAD, OPTIONS"),
        ]
        if attribute.info.writable {
            item["put"] = operation(
                "put_" + id, "Set: " + attribute.info.help, tag: "tree", ok: Self.jsonContent(representation),
                refusals: [400, 403, 409, 413, 415, 422, 503, 504], body: Self.putBody(value, type: attribute.info.type))
        }
        return .object(item)
    }

    private func functionItem(_ function: ResourceTree.Function) -> JSONValue {
        let id = Self.operationName(function.path)
        let spec = function.info.spec
        return .object([
            "get": operation(
                "get_" + id, function.info.help, tag: "tree",
                ok: Self.jsonContent(Self.functionRepresentation(function)), refusals: []),
            "post": operation(
                "post_" + id, "Call: " + function.info.help, tag: "tree", ok: Self.jsonContent(Self.callResult(spec)),
                refusals: [400, 403, 409, 413, 415, 422, 503, 504], body: Self.callBody(spec)),
            "head": head("head_" + id),
            "options": options("options_" + id, allow: "GET, HEAD, POST, OPTIONS"),
        ])
    }

    // MARK: Operations

    /// An operation answering `ok` (200) or the exception representation with one of
    /// `refusals`, plus what any request can be refused with.
    func operation(
        _ id: String, _ summary: String, tag: String, ok: JSONValue, refusals: [Int],
        parameters: [JSONValue] = [], body: JSONValue? = nil, streams: Bool = false
    ) -> JSONValue {
        var okContent = ok
        if streams, case .object(var content) = ok {
            // GET with `Accept: text/event-stream` (or `?watch`) streams the changes below it.
            content["text/event-stream"] = .object(["schema": .object(["type": .string("string")])])
            okContent = .object(content)
        }
        var responses: [String: JSONValue] = ["200": .object(["description": .string("OK"), "content": okContent])]
        for status in Set(refusals + commonRefusals).sorted() {
            responses["\(status)"] = Self.exceptionResponse(status)
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": .array([.string(tag)]),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body { operation["requestBody"] = body }
        return .object(operation)
    }

    /// What every request may be refused with: 503 (too many connections, starting, shutting
    /// down) and, with `server.auth`, 401, 403 and 429.
    var commonRefusals: [Int] { features.auth ? [401, 403, 429, 503] : [503] }

    func head(_ id: String, parameters: [JSONValue] = []) -> JSONValue {
        var responses: [String: JSONValue] = [
            "200": .object(["description": .string("As GET, without the body")]),
        ]
        for status in Set([503, 504] + commonRefusals).sorted() {
            responses["\(status)"] = .object(["description": .string(Self.reason(status) + " (no body)")])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string("As GET, without the body"), "tags": .array([.string("tree")]),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        return .object(operation)
    }

    func options(_ id: String, allow: String) -> JSONValue {
        var responses: [String: JSONValue] = [
            "204": .object([
                "description": .string("The methods the resource takes"),
                "headers": .object(["Allow": .object(["schema": .object(["type": .string("string"), "const": .string(allow)])])]),
            ]),
        ]
        for status in commonRefusals { responses["\(status)"] = Self.exceptionResponse(status) }
        return .object([
            "operationId": .string(id), "summary": .string("The methods the resource takes"), "tags": .array([.string("tree")]),
            "responses": .object(responses),
        ])
    }

    /// `camera/tilt` → `camera_tilt`; the root → `root`.
    static func operationName(_ path: ResourcePath) -> String {
        path.isRoot ? "root" : path.description.dropFirst().replacingOccurrences(of: "/", with: "_")
    }

    static let freshParameter: JSONValue = .object([
        "name": .string("fresh"), "in": .string("query"), "required": .bool(false),
        "description": .string("`fresh`, `fresh=1` or `fresh=true` reads the hardware instead of the cache; any other value is ignored"),
        "schema": .object(["type": .string("string")]),
        "allowEmptyValue": .bool(true),
    ])
}

extension Substring {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
