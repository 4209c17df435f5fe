import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyTesting
import Testing
@testable import IOToyHTTP

/// `GET /_openapi.json`: the description generated from the tree in force. Every resource has
/// its path with the methods it takes; an attribute's value schema carries its type and limits;
/// what each answer really is agrees with the description; the demo's copy in docs/ is current.
/// (schemathesis, in CI, checks every operation against the real binary with many generated cases.)
@Suite struct OpenAPITests {
    static func description(_ client: any TestClientProtocol) async throws -> JSONValue {
        try await client.execute(uri: OpenAPIDescription.route, method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return try #require(response.json)
        }
    }

    @Test func everyResourceIsDescribedWithItsMethodsAndLimits() async throws {
        let demo = try DemoServer(metrics: true)
        try await demo.test { client, tree in
            let document = try await Self.description(client)
            #expect(document["openapi"] == .string("3.1.0"))
            #expect(document["info"]?["title"] == .string("iotoyd: robocat"))
            let paths = try #require(document["paths"])
            for (path, node) in tree.dispatcher.tree.nodes {
                let item = paths[path.isRoot ? "/" : path.description]
                #expect(item != nil, "\(path) is described")
                switch node {
                case .attribute(let attribute):
                    #expect((item?["put"] != nil) == attribute.info.writable, "\(path): PUT only where writable")
                    #expect(item?["post"] == nil)
                case .function:
                    #expect(item?["post"] != nil && item?["put"] == nil, "\(path)")
                case .directory:
                    #expect(item?["get"] != nil && item?["put"] == nil && item?["post"] == nil, "\(path)")
                }
            }
            for route in ["/devinfo", "/_safe", "/_resume", "/_heartbeat", "/_reload", "/_openapi.json", "/metrics"] {
                #expect(paths[route] != nil, "\(route)")
            }
            #expect(paths["/_login"] == nil && paths["/_sim"] == nil && paths["/_ui/"] == nil)

            // The lift's limits in the JSON body and the answer, its exceptions by status.
            let put = try #require(paths["/front_left_leg/lift"]?["put"])
            let forms = put["requestBody"]?["content"]?["application/json"]?["schema"]?["anyOf"]
            #expect(forms?[0]?["minimum"]?.doubleValue == 20 && forms?[0]?["maximum"]?.doubleValue == 160)
            #expect(forms?[0]?["type"] == .string("number"))
            #expect(forms?[1]?["required"] == .array([.string("value")]))
            let statuses = Set(put["responses"]?.objectKeys ?? [])
            #expect(statuses == ["200", "400", "403", "409", "413", "415", "422", "503", "504"])
            #expect(put["responses"]?["422"]?["$ref"] == .string("#/components/responses/Status422"))
            #expect(document["components"]?["responses"]?["Status422"]?["content"]?["application/json"]?["schema"]?["$ref"]
                == .string("#/components/schemas/Exception"))
            // A function's arguments, each typed.
            let drive = paths["/base/drive"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]?["anyOf"]?[0]
            #expect(drive?["prefixItems"]?[0]?["type"] == .string("number"))
            #expect(drive?["minItems"] == .int(2) && drive?["maxItems"] == .int(2))
            // The ranger's distance may be null; a bool may not.
            #expect(Self.valueSchema(paths, "/distance/distance")?["type"] == .array([.string("number"), .string("null")]))
            #expect(Self.valueSchema(paths, "/eyes")?["type"] == .string("boolean"))
        }
    }

    /// For every attribute and directory, what a GET answers has the type and href the
    /// description promises, and its value the promised JSON type.
    @Test func everyGetAnswersWhatTheDescriptionPromises() async throws {
        let demo = try DemoServer()
        try await demo.test { client in
            let paths = try #require(try await Self.description(client)["paths"])
            var checked = 0
            for route in paths.objectKeys where !route.hasPrefix("/_") && route != "/metrics" {
                guard let schema = paths[route]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"] else { continue }
                try await client.execute(uri: route, method: .get) { response in
                    #expect(response.status == .ok, "\(route)")
                    let answer = try #require(response.json)
                    if let type = schema["properties"]?["type"]?["const"] { #expect(answer["type"] == type, "\(route)") }
                    if let href = schema["properties"]?["href"]?["const"] { #expect(answer["href"] == href, "\(route)") }
                    if let value = schema["properties"]?["value"] {
                        #expect(Self.conforms(answer["value"], to: value), "\(route): \(String(describing: answer["value"])) against \(value)")
                    }
                    checked += 1
                }
            }
            #expect(checked > 30)
        }
    }

    @Test func withAccessControlTheRefusalsAndLoginAreDescribed() async throws {
        let (policy, _) = try AuthPolicyTests.policy(anonymous: .read)
        let demo = try DemoServer()
        try await demo.test(access: AccessGate(policy: policy)) { client in
            let document = try await Self.description(client)       // loopback is trusted
            let paths = try #require(document["paths"])
            #expect(paths["/_login"]?["post"] != nil && paths["/_logout"]?["post"] != nil)
            let refusals = Set(paths["/eyes"]?["get"]?["responses"]?.objectKeys ?? [])
            #expect(refusals.isSuperset(of: ["401", "403", "429"]), "\(refusals)")
            #expect(document["components"]?["securitySchemes"]?["token"]?["scheme"] == .string("bearer"))
            #expect(paths["/metrics"] == nil, "metrics are off in this server")
        }
    }

    @Test func onlyGetAndHeadAreTaken() async throws {
        try await DemoServer().test { client in
            try await client.execute(uri: OpenAPIDescription.route, method: .put, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD, OPTIONS")
                #expect(response.json?["value"]?["error"] == .string("method_not_allowed"))
            }
            try await client.execute(uri: OpenAPIDescription.route, method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(Int(response.headers[.contentLength] ?? "") ?? 0 > 1000)
            }
        }
    }

    /// docs/openapi-demo.json is what `iotoyd openapi boards/demo.yaml` prints today.
    @Test func theDemosDescriptionInDocsIsCurrent() throws {
        let demo = try DemoServer()
        let tree = try demo.board.buildTree(platform: demo.board.simulatedHardware().platform)
        let generated = try JSONCoding.encodePretty(OpenAPIDescription(tree: tree, features: .init(metrics: true, reload: true, auth: false)).document)
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi-demo.json")
        let kept = try Data(contentsOf: file)
        #expect(Array(kept) == generated, "regenerate: swift run iotoyd openapi boards/demo.yaml > docs/openapi-demo.json")
    }

    static func valueSchema(_ paths: JSONValue, _ route: String) -> JSONValue? {
        paths[route]?["get"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["properties"]?["value"]
    }

    /// The few JSON Schema words the value schemas use: type (one or a list), minimum, maximum.
    static func conforms(_ value: JSONValue?, to schema: JSONValue) -> Bool {
        guard let value else { return false }
        let types: [String] = switch schema["type"] {
        case .string(let type)?: [type]
        case .array(let list)?: list.compactMap(\.stringValue)
        default: []
        }
        if types.isEmpty { return true }
        let matches = types.contains { type in
            switch (type, value) {
            case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
            case ("integer", .int): true
            case ("number", .int), ("number", .double): true
            default: false
            }
        }
        guard matches else { return false }
        if let number = value.doubleValue {
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { return false }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum { return false }
        }
        return true
    }
}

extension JSONValue {
    /// An object's keys (empty for anything else).
    fileprivate var objectKeys: [String] {
        if case .object(let object) = self { Array(object.keys) } else { [] }
    }
}
