import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyCore
import Testing
@testable import IOToyHTTP

/// The REST contract of docs/wire.md §2, through the real responder.
@Suite struct RESTContractTests {
    let jsonType: HTTPFields = [.contentType: "application/json"]

    @Test func everyAnswerIsExactlyApplicationJSON() async throws {
        try await DemoServer().test { client in
            for (uri, method, status) in [
                ("/", HTTPRequest.Method.get, HTTPResponse.Status.ok), ("/devinfo", .get, .ok), ("/front_left_leg", .get, .ok),
                ("/eyes/toggle", .post, .ok), ("/nowhere", .get, .notFound), ("/eyes", .delete, .methodNotAllowed),
                ("/front_left_leg/lift", .put, .badRequest),
            ] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    #expect(response.headers[.contentType] == "application/json", "\(method) \(uri)")
                }
            }
        }
    }

    @Test func directoriesAtAnyDepth() async throws {
        try await DemoServer().test { client in
            for uri in ["/front_left_leg", "/front_left_leg/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.json?["href"] == .string("/front_left_leg/"))
                    #expect(response.json?["value"] == .array([.string("lift"), .string("swing")]))
                    #expect(response.json?["type"] == .string("iotoy.org/type/dir"))
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                guard case .array(let names)? = response.json?["value"] else { Issue.record("no listing"); return }
                #expect(names.contains(.string("devinfo")))
            }
        }
    }

    @Test func putAcceptsTheOriginalClientsBareTextTextPlainFormAndJSON() async throws {
        let server = try DemoServer()
        try await server.test { client in
            let bodies: [(HTTPFields, String, Double)] = [
                ([:], "45", 45), ([.contentType: "text/plain"], "50.5", 50.5),
                ([.contentType: "application/x-www-form-urlencoded"], "60", 60),
                ([.contentType: "application/json"], "70", 70), ([.contentType: "application/json; charset=utf-8"], #"{"value": 80}"#, 80),
            ]
            for (headers, body, angle) in bodies {
                try await client.execute(uri: "/front_left_leg/lift", method: .put, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .ok, "\(body)")
                    #expect(response.json?["value"]?.doubleValue == angle)
                    #expect(response.json?["methods"] == .array([.string("GET"), .string("PUT")]))
                }
                #expect(abs(server.hatPulseUs(0) - (500 + angle / 180 * 2000)) < 5, "\(body)")
            }
            try await client.execute(uri: "/eyes", method: .put, body: ByteBuffer(string: "True")) { response in
                #expect(response.json?["value"] == .bool(true))
                #expect(response.json?["type"] == .string("iotoy.org/types/bool"))
            }
        }
    }

    @Test func outOfRangeIs422AndLeavesTheServoWhereItWas() async throws {
        let server = try DemoServer()
        try await server.test { client in
            let before = server.hatPulseUs(0)
            try await client.execute(uri: "/front_left_leg/lift", method: .put, body: ByteBuffer(string: "170")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json?["type"] == .string("iotoy.org/types/exception"))
                #expect(response.json?["href"] == .string("/front_left_leg/lift"))
                #expect(response.json?["value"]?["error"] == .string("out_of_range"))
                #expect(response.json?["value"]?["detail"] == .string("min 20, max 160 deg"))
            }
            #expect(server.hatPulseUs(0) == before)
        }
    }

    @Test func badBodiesAre400() async throws {
        try await DemoServer().test { client in
            let cases: [(String, HTTPFields, String)] = [
                ("/front_left_leg/lift", [:], "ninety"), ("/front_left_leg/lift", [.contentType: "application/json"], "{oops"),
                ("/front_left_leg/lift", [.contentType: "application/json"], #""45""#), ("/eyes", [:], "maybe"),
                ("/eyes/toggle", [:], "extra"), ("/front_left_leg/lift", [:], ""),
            ]
            for (uri, headers, body) in cases {
                let method: HTTPRequest.Method = uri.hasSuffix("toggle") ? .post : .put
                try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.json?["type"] == .string("iotoy.org/types/exception"), "\(body)")
                }
            }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await DemoServer().test { client in
            for (uri, method, allow) in [
                ("/climate/temperature", HTTPRequest.Method.put, "GET, HEAD, OPTIONS"), ("/front_left_leg/lift", .post, "GET, HEAD, PUT, OPTIONS"),
                ("/eyes/toggle", .put, "GET, HEAD, POST, OPTIONS"), ("/front_left_leg", .post, "GET, HEAD, OPTIONS"),
                ("/devinfo", .delete, "GET, HEAD, OPTIONS"),
            ] {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "1")) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                }
            }
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await DemoServer().test { client in
            for uri in ["/", "/front_left_leg/lift", "/climate/temperature", "/devinfo"] {
                let get = try await client.execute(uri: uri, method: .get)
                try await client.execute(uri: uri, method: .head) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "application/json", "\(uri)")
                    #expect(response.headers[.contentLength] == "\(get.body.readableBytes)", "\(uri)")
                    #expect(response.body.readableBytes == 0, "\(uri)")
                }
            }
            try await client.execute(uri: "/nowhere", method: .head) { response in
                #expect(response.status == .notFound)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func optionsAnswers204WithAllow() async throws {
        try await DemoServer().test { client in
            for (uri, allow) in [("/", "GET, HEAD, OPTIONS"), ("/front_left_leg/lift", "GET, HEAD, PUT, OPTIONS"),
                                 ("/eyes/toggle", "GET, HEAD, POST, OPTIONS")] {
                try await client.execute(uri: uri, method: .options) { response in
                    #expect(response.status == .noContent, "\(uri)")
                    #expect(response.headers[.allow] == allow, "\(uri)")
                }
            }
            try await client.execute(uri: "/nowhere", method: .options) { response in
                #expect(response.status == .notFound)
                #expect(response.json?["type"] == .string("iotoy.org/types/exception"))
            }
        }
    }

    @Test func aLongPathIsNotEchoedWhole() async throws {
        try await DemoServer().test { client in
            let long = "/" + String(repeating: "a", count: 50_000)
            try await client.execute(uri: long, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.readableBytes < 1_000, "the 404 echoes at most 200 characters of the path")
                if case .string(let href)? = response.json?["href"] { #expect(href.hasSuffix("…") && href.count == 201) } else { Issue.record("no href") }
            }
        }
    }

    @Test func anObjectWithoutValueNamesTheAcceptedKeys() async throws {
        try await DemoServer().test { client in
            try await client.execute(
                uri: "/front_left_leg/lift", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"valu": 45}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.json?["value"]?["message"] == .string("a JSON object body takes exactly one key, 'value' (or send the bare value); got 'valu'"))
            }
        }
    }

    @Test func unknownPathsAre404() async throws {
        try await DemoServer().test { client in
            for uri in ["/tail/x", "/climate/wind", "/front-left", "/eyes/toggle/deeper"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.json?["value"]?["error"] == .string("not_found"))
                }
            }
        }
    }

    @Test func functionsDescribeThemselvesAndAnswerCalls() async throws {
        let server = try DemoServer()
        try await server.test { client in
            try await client.execute(uri: "/eyes/toggle", method: .get) { response in
                #expect(response.json?["type"] == .string("iotoy.org/types/function"))
                #expect(response.json?["value"]?["name"] == .string("toggle"))
            }
            try await client.execute(uri: "/eyes/toggle", method: .post) { response in
                #expect(response.json == .object(["type": .string("bool"), "name": .string("value"), "value": .bool(true)]))
            }
        }
    }

    @Test func unsupportedAndOversizedBodies() async throws {
        try await DemoServer().test { client in
            try await client.execute(uri: "/eyes", method: .put, headers: [.contentType: "image/png"], body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/eyes", method: .put, body: ByteBuffer(string: String(repeating: "1", count: 2048))) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func theSimulationViewPressesTheBumper() async throws {
        try await DemoServer().test { client in
            try await client.execute(uri: "/bumper", method: .get) { #expect($0.json?["value"] == .bool(false)) }
            try await client.execute(uri: "/_sim/gpio/pinctrl-bcm2711/GPIO27", method: .put, body: ByteBuffer(string: "0")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/bumper?fresh", method: .get) { #expect($0.json?["value"] == .bool(true)) }
            try await client.execute(uri: "/_sim/gpio/nochip/GPIO27", method: .put, body: ByteBuffer(string: "0")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/_sim", method: .get) { response in
                #expect(response.json?["pwm"]?["pwmchip0"] != nil)
            }
        }
    }
}
