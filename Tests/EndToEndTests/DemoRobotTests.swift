import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// The real binary, the demo board, simulated hardware, real HTTP.
@Suite(.serialized) struct DemoRobotTests {
    @Test func servesTheDemoRobotOverRealHTTP() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }

        let root = try await daemon.request(.get, "/")
        #expect(root.status == 200)
        #expect(root.headers[.contentType] == "application/json")
        #expect(root.json?["value"] == .array(["front_left_leg", "tail", "eyes", "bumper", "climate", "base", "headlight", "distance", "imu", "battery", "devinfo"].map(JSONValue.string)))

        let devinfo = try await daemon.request(.get, "/devinfo")
        #expect(devinfo.json?["value"]?["devicename"] == .string("robocat"))
        #expect(devinfo.json?["value"]?["attrs"]?["front_left_leg/lift"]?["href"] == .string("/front_left_leg/lift"))

        let leg = try await daemon.request(.get, "/front_left_leg")
        #expect(leg.json?["href"] == .string("/front_left_leg/"))

        let temperature = try await daemon.request(.get, "/climate/temperature")
        #expect(temperature.json?["value"] == .double(25.08))
        #expect(temperature.json?["constraints"]?["unit"] == .string("degC"))
    }

    @Test func theDemoSaysItIsSimulated() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        #expect(daemon.log.contains("(simulated hardware)"), "\(daemon.log)")
        #expect(!daemon.log.contains("Linux hardware"))
    }

    @Test func servesAndIsReachedOverIPv6() async throws {
        let daemon = try await Daemon(bind: "::1")
        defer { _ = daemon.stop() }
        #expect(daemon.log.contains("on http://[::1]:\(daemon.port)/"), "the banner is a URL: \(daemon.log)")
        let eyes = try await daemon.request(.get, "/eyes")
        #expect(eyes.status == 200)
        let run = try await iotoy("get", "[::1]:\(daemon.port)/eyes")
        #expect(run == .init(status: 0, stdout: "false\n", stderr: ""))
    }

    @Test func servoAnglesMoveTheSimulatedPWMAndLimitsHold() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        func tailDutyNs() async throws -> JSONValue? {
            try await daemon.request(.get, "/_sim").json?["pwm"]?["pwmchip0"]?[0]?["duty_ns"]
        }
        func liftPulseNs() async throws -> Double? {
            try await daemon.request(.get, "/_sim").json?["i2c"]?["i2c-1"]?["0x40"]?["pulse_ns"]?[0]?.doubleValue
        }
        #expect(try await tailDutyNs() == .int(1_500_000))

        let raw = try await daemon.request(.put, "/tail", body: "45")             // the original client: bare text, no Content-Type
        #expect(raw.status == 200)
        #expect(raw.headers[.contentType] == "application/json")
        #expect(try await tailDutyNs() == .int(2_000_000))

        let json = try await daemon.request(.put, "/tail", body: #"{"value": -45}"#, headers: [.contentType: "application/json"])
        #expect(json.json?["value"]?.doubleValue == -45)
        #expect(try await tailDutyNs() == .int(1_000_000))

        _ = try await daemon.request(.put, "/front_left_leg/lift", body: "45")
        let before = try #require(try await liftPulseNs())
        #expect(abs(before - 1_000_000) < 5_000)
        let refused = try await daemon.request(.put, "/front_left_leg/lift", body: "170")
        #expect(refused.status == 422)
        #expect(refused.headers[.contentType] == "application/json")
        #expect(refused.json?["type"] == .string("iotoy.org/types/exception"))
        #expect(try await liftPulseNs() == before)
    }

    @Test func functionsErrorsAndMethods() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let toggled = try await daemon.request(.post, "/eyes/toggle")
        #expect(toggled.json == .object(["type": .string("bool"), "name": .string("value"), "value": .bool(true)]))
        #expect(try await daemon.request(.get, "/eyes").json?["value"] == .bool(true))

        for (method, uri, body, status) in [
            (HTTPRequest.Method.put, "/eyes", "perhaps", 400), (.put, "/tail", "", 400), (.post, "/eyes/toggle", "now", 400),
            (.get, "/nose", nil, 404), (.get, "/front_left_leg/knee", nil, 404),
        ] as [(HTTPRequest.Method, String, String?, Int)] {
            let reply = try await daemon.request(method, uri, body: body)
            #expect(reply.status == status, "\(method) \(uri)")
            #expect(reply.headers[.contentType] == "application/json", "\(method) \(uri)")
            #expect(reply.json?["type"] == .string("iotoy.org/types/exception"), "\(method) \(uri)")
        }
        let wrong = try await daemon.request(.put, "/climate/humidity", body: "50")
        #expect(wrong.status == 405)
        #expect(wrong.headers[.allow] == "GET, HEAD, OPTIONS")
        #expect(wrong.headers[.contentType] == "application/json")
    }

    @Test func sigtermShutsDownGracefullyWithHardwareSafe() async throws {
        let daemon = try await Daemon()
        _ = try await daemon.request(.put, "/eyes", body: "True")
        #expect(daemon.stop() == 0)
        #expect(daemon.log.contains("hardware in safe state and released"))
    }
}

/// The emergency stop and the heartbeat over real HTTP, and a failsafe deadline on real time.
@Suite struct SafetyRoutesTests {
    @Test func emergencyStopRefusesCommandsUntilResume() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        #expect(try await daemon.request(.put, "/tail", body: "30").status == 200)
        let stop = try await daemon.request(.post, "/_safe")
        #expect(stop.status == 200)
        #expect(stop.json?["value"]?["stopped"] == .bool(true))
        let duty = try await daemon.request(.get, "/_sim").json?["pwm"]?["pwmchip0"]?[0]?["enabled"]
        #expect(duty == .bool(false), "the tail servo went limp")
        let refused = try await daemon.request(.put, "/tail", body: "10")
        #expect(refused.status == 409)
        #expect(refused.json?["value"]?["error"] == .string("emergency_stop"))
        #expect(try await daemon.request(.get, "/tail").status == 200, "reading is still allowed")
        #expect(try await daemon.request(.get, "/_safe").status == 405)
        #expect(try await daemon.request(.post, "/_resume").status == 200)
        #expect(try await daemon.request(.put, "/tail", body: "10").status == 200)
    }

    @Test func aLostControllerLeavesTheServoLimpAndAHeartbeatKeepsItGoing() async throws {
        let daemon = try await Daemon.simulating("""
            device: failsafe
            hardware:
              pwm: { kind: pwmchip, chip: pwmchip0 }
            resources:
              tail: { kind: servo, pwm: pwm/0, failsafe_ms: 3000 }
            """)
        defer { _ = daemon.stop() }
        // Real time on a loaded machine: a heartbeat may come later than 3 s after its PUT (CI saw
        // it). Such a round proves nothing about renewal, so it is tried again, a few times at most.
        var renewedTail = false
        for _ in 0..<5 where !renewedTail {
            #expect(try await daemon.request(.put, "/tail", body: "120").status == 200)
            let renewed = try await daemon.request(.post, "/_heartbeat").json?["value"]?["renewed"]
            renewedTail = renewed == .array([.string("/tail")])
            #expect(renewedTail || renewed == .array([]), "only the tail can be renewed: \(String(describing: renewed))")
        }
        #expect(renewedTail, "a heartbeat within the deadline renews the armed servo")
        let before = daemon.log.count
        #expect(await daemon.waitForLog("failsafe: actuator put into its safe state", after: before, timeout: 20))
        let enabled = try await daemon.request(.get, "/_sim").json?["pwm"]?["pwmchip0"]?[0]?["enabled"]
        #expect(enabled == .bool(false))
        #expect(try await daemon.request(.put, "/tail", body: "100").status == 200, "not a latch")
    }
}
