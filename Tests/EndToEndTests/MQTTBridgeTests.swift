import Foundation
import IOToyCore
import IOToyTesting
import Testing

/// The real iotoyd bridged to a real Mosquitto broker (users, password file, ACL), watched
/// with mosquitto_sub: Home Assistant's discovery, values out, commands in through the same
/// path as HTTP, refusals and broker restarts survived, the will when iotoyd dies.
@Suite("MQTT bridge of the real binary", .serialized)
struct MQTTBridgeTests {
    static let demo = try! String(contentsOf: Daemon.packageRoot.appendingPathComponent("boards/demo.yaml"), encoding: .utf8)

    /// The fields Home Assistant requires of each component's discovery config (beside the
    /// common ones), and those it accepts: a key outside them would be a typo HA ignores.
    static let schema: [String: (required: Set<String>, allowed: Set<String>)] = [
        "switch": (["command_topic"], ["state_topic", "payload_on", "payload_off", "state_on", "state_off"]),
        "binary_sensor": (["state_topic"], ["payload_on", "payload_off"]),
        "sensor": (["state_topic"], ["unit_of_measurement", "device_class", "state_class", "value_template"]),
        "number": (["command_topic", "min", "max", "step"], ["state_topic", "unit_of_measurement", "mode"]),
        "text": (["command_topic"], ["state_topic", "value_template"]),
        "button": (["command_topic"], ["payload_press"]),
    ]
    static let common: Set<String> = [
        "name", "unique_id", "object_id", "availability_topic", "payload_available", "payload_not_available", "device",
    ]

    /// The demo board bridged to `broker` as `iotoyd` with `password`, and the daemon serving it.
    static func daemon(_ broker: MosquittoBroker, password: String = MosquittoBroker.users["iotoyd"]!) async throws -> Daemon {
        let passwordFile = broker.directory.appendingPathComponent("iotoyd-password")
        try (password + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        return try await Daemon.simulating(demo + """

            mqtt:
              host: 127.0.0.1
              port: \(broker.port)
              username: iotoyd
              password_file: \(passwordFile.path)
            """)
    }

    static func parsed(_ text: String) -> JSONValue? { try? JSONCoding.decode(JSONValue.self, from: Array(text.utf8)) }

    @Test func everyResourceHasADiscoveryConfigWithTheFieldsHomeAssistantRequires() async throws {
        let broker = try MosquittoBroker()
        let configs = try await broker.observe("homeassistant/#")
        let daemon = try await Self.daemon(broker)
        defer { _ = daemon.stop() }
        let expected = [
            "binary_sensor/robocat/bumper", "sensor/robocat/climate_temperature", "sensor/robocat/climate_pressure",
            "sensor/robocat/climate_humidity", "switch/robocat/eyes", "button/robocat/eyes_toggle",
            "number/robocat/front_left_leg_lift", "number/robocat/front_left_leg_swing", "number/robocat/tail",
        ].map { "homeassistant/\($0)/config" }
        var found: [String: JSONValue] = [:]
        for topic in expected {
            let message = try #require(await configs.first(on: topic), "no config on \(topic)")
            guard let config = Self.parsed(message.payload) else { Issue.record("\(topic): \(message.payload)"); continue }
            found[topic] = config
        }
        for (topic, config) in found {
            guard case .object(let fields) = config else { Issue.record("\(topic) is not an object"); continue }
            let component = topic.split(separator: "/")[1]
            let rules = try #require(Self.schema[String(component)], "\(component)")
            #expect(rules.required.isSubset(of: fields.keys), "\(topic) lacks \(rules.required.subtracting(fields.keys))")
            #expect(Set(fields.keys).isSubset(of: rules.required.union(rules.allowed).union(Self.common)),
                    "\(topic) has unknown keys \(Set(fields.keys).subtracting(rules.required.union(rules.allowed).union(Self.common)))")
            #expect(fields["availability_topic"] == .string("iotoy/robocat/status"))
            #expect(fields["device"]?["identifiers"] == .array([.string("iotoyd_robocat")]))
            #expect(fields["device"]?["name"] == .string("robocat"))
            #expect(fields["device"]?["sw_version"] != nil)
            if case .string(let unique)? = fields["unique_id"] { #expect(unique.hasPrefix("iotoyd_robocat_")) } else { Issue.record("\(topic): no unique_id") }
        }
        let temperature = try #require(found["homeassistant/sensor/robocat/climate_temperature/config"])
        #expect(temperature["device_class"] == .string("temperature"))
        #expect(temperature["unit_of_measurement"] == .string("°C"))
        #expect(temperature["state_topic"] == .string("iotoy/robocat/climate/temperature"))
        let lift = try #require(found["homeassistant/number/robocat/front_left_leg_lift/config"])
        #expect(lift["min"]?.doubleValue == 20)
        #expect(lift["max"]?.doubleValue == 160)
        #expect(lift["command_topic"] == .string("iotoy/robocat/front_left_leg/lift/set"))
        let toggle = try #require(found["homeassistant/button/robocat/eyes_toggle/config"])
        #expect(toggle["command_topic"] == .string("iotoy/robocat/eyes/toggle/call"))
    }

    @Test func aPressIsPublishedASetMovesTheServoAndALimitIsRefusedUntouched() async throws {
        let broker = try MosquittoBroker()
        let values = try await broker.observe("iotoy/#")
        let daemon = try await Self.daemon(broker)
        defer { _ = daemon.stop() }
        #expect(await values.first(on: "iotoy/robocat/status")?.payload == "online")
        #expect(await values.first(on: "iotoy/robocat/bumper")?.payload == "false")
        // The snapshot after connecting goes in path order: the tail is last.
        #expect(await values.first(on: "iotoy/robocat/tail")?.payload == "0")
        func tailDutyNs() async throws -> JSONValue? {
            try await daemon.request(.get, "/_sim").json?["pwm"]?["pwmchip0"]?[0]?["duty_ns"]
        }

        var seen = values.messages.count
        #expect(try await daemon.request(.put, "/_sim/gpio/pinctrl-bcm2711/GPIO27", body: "0").status == 200)   // pressed
        // The start's snapshot and first samples may still be arriving: wait for the new value.
        #expect(await values.first(after: seen) { $0.topic == "iotoy/robocat/bumper" && $0.payload == "true" } != nil, "\(values.messages.suffix(8))")

        seen = values.messages.count
        try broker.publish("iotoy/robocat/tail/set", "45")
        let moved = try #require(await values.first(on: "iotoy/robocat/tail/result", after: seen))
        #expect(Self.parsed(moved.payload)?["status"] == .int(200), "\(moved)")
        #expect(Self.parsed(moved.payload)?["value"]?.doubleValue == 45)
        #expect(try await tailDutyNs() == .int(2_000_000))
        #expect(await values.first(after: seen) { $0.topic == "iotoy/robocat/tail" && $0.payload == "45" } != nil)

        seen = values.messages.count
        try broker.publish("iotoy/robocat/tail/set", "500")
        let refused = try #require(await values.first(on: "iotoy/robocat/tail/result", after: seen))
        #expect(Self.parsed(refused.payload)?["status"] == .int(422), "\(refused)")
        #expect(Self.parsed(refused.payload)?["value"]?["error"] == .string("out_of_range"))
        #expect(try await tailDutyNs() == .int(2_000_000), "the servo did not move")

        // A call, and the state it changed.
        seen = values.messages.count
        try broker.publish("iotoy/robocat/eyes/toggle/call", "")
        #expect(Self.parsed(await values.first(on: "iotoy/robocat/eyes/toggle/result", after: seen)?.payload ?? "")?["status"] == .int(200))
        #expect(await values.first(after: seen) { $0.topic == "iotoy/robocat/eyes" && $0.payload == "true" } != nil)
    }

    @Test func aWrongPasswordIsLoggedAndRetriedAndHTTPServesOn() async throws {
        let broker = try MosquittoBroker()
        let daemon = try await Self.daemon(broker, password: "not-the-password")
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("the broker refused the connection: Not authorized"))
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        #expect(daemon.process.isRunning)
    }

    @Test func topicsTheACLDeniesAreLoggedAndTheRestFlows() async throws {
        // No discovery topics for iotoyd.
        let broker = try MosquittoBroker(acl: "user iotoyd\ntopic readwrite iotoy/#\n\nuser observer\ntopic readwrite #\n")
        let values = try await broker.observe("iotoy/#")
        let daemon = try await Self.daemon(broker)
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("the broker refused a publish"))
        #expect(await values.first(on: "iotoy/robocat/climate/temperature")?.payload == "25.08")
        #expect(daemon.process.isRunning)
    }

    @Test func afterABrokerRestartTheBridgeIsBackOnlineWithCurrentRetainedState() async throws {
        let broker = try MosquittoBroker()
        let daemon = try await Self.daemon(broker)
        defer { _ = daemon.stop() }
        let before = try await broker.observe("iotoy/#")
        #expect(await before.first(on: "iotoy/robocat/status")?.payload == "online")
        #expect(try await daemon.request(.put, "/tail", body: "30").status == 200)
        #expect(await before.first { $0.topic == "iotoy/robocat/tail" && $0.payload == "30" } != nil)
        broker.stop()      // no persistence: every retained message is gone with it
        #expect(await daemon.waitForLog("connection lost"))
        #expect(try await daemon.request(.put, "/tail", body: "35").status == 200, "HTTP is not slowed by a missing broker")
        try broker.start()
        #expect(await daemon.waitForLog("MQTT: connected again"))
        // Once the bridge has published again, a new subscriber gets it all retained.
        let republished = try await broker.observe("iotoy/#")
        #expect(await republished.first { $0.topic == "iotoy/robocat/tail" && $0.payload == "35" } != nil)
        let after = try await broker.observe("iotoy/#")
        let status = try #require(await after.first(on: "iotoy/robocat/status"))
        #expect(status.payload == "online")
        #expect(status.retained)
        let tail = try #require(await after.first(on: "iotoy/robocat/tail"))
        #expect(tail.payload == "35", "the value set while the broker was away")
        #expect(tail.retained)
    }

    @Test func killingIotoydMakesTheBrokerPublishItsWill() async throws {
        let broker = try MosquittoBroker()
        let status = try await broker.observe("iotoy/#")
        let daemon = try await Self.daemon(broker)
        #expect(await status.first(on: "iotoy/robocat/status")?.payload == "online")
        let seen = status.messages.count
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        let will = try #require(await status.first(on: "iotoy/robocat/status", after: seen))
        #expect(will.payload == "offline")
    }

    @Test func aCleanStopSaysOfflineItself() async throws {
        let broker = try MosquittoBroker()
        let status = try await broker.observe("iotoy/#")
        let daemon = try await Self.daemon(broker)
        #expect(await status.first(on: "iotoy/robocat/status")?.payload == "online")
        let seen = status.messages.count
        #expect(daemon.stop() == 0)
        #expect(await status.first(on: "iotoy/robocat/status", after: seen)?.payload == "offline")
        #expect(daemon.log.contains("MQTT") && !daemon.log.contains("connection lost"))
    }

    @Test func aResourceRemovedByAReloadIsForgottenByHomeAssistant() async throws {
        let broker = try MosquittoBroker()
        let observer = try await broker.observe("#")
        let passwordFile = broker.directory.appendingPathComponent("iotoyd-password")
        try MosquittoBroker.users["iotoyd"]!.write(to: passwordFile, atomically: true, encoding: .utf8)
        let mqtt = "\nmqtt: { host: 127.0.0.1, port: \(broker.port), username: iotoyd, password_file: \(passwordFile.path) }\n"
        let file = broker.directory.appendingPathComponent("board.yaml")
        try (Self.demo + mqtt).write(to: file, atomically: true, encoding: .utf8)
        let daemon = try await Daemon(["serve", "--simulate", file.path])
        defer { _ = daemon.stop() }
        let config = "homeassistant/number/robocat/tail/config"
        #expect(await observer.first(on: config)?.payload.isEmpty == false)
        #expect(await observer.first(on: "iotoy/robocat/tail")?.payload == "0")
        let withoutTail = Self.demo.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  tail:") }.joined(separator: "\n")
        #expect(withoutTail != Self.demo)
        try (withoutTail + mqtt).write(to: file, atomically: true, encoding: .utf8)
        let seen = observer.messages.count
        #expect(try await daemon.request(.post, "/_reload").status == 200)
        // The value or config sent at the start may still arrive after `seen` (the start publishes
        // both the first sample and everything at connection): wait for the empty, retained one.
        @Sendable func isEmpty(_ message: TopicObserver.Message) -> Bool { message.payload.isEmpty || message.payload == "(null)" }
        let forgotten = await observer.first(after: seen) { $0.topic == config && isEmpty($0) }
        #expect(forgotten != nil, "an empty retained config: \(observer.messages.dropFirst(seen).filter { $0.topic == config })")
        let cleared = await observer.first(after: seen) { $0.topic == "iotoy/robocat/tail" && isEmpty($0) }
        #expect(cleared != nil, "the tail's retained value is cleared")
        let afterReload = observer.messages.dropFirst(seen)
        #expect(afterReload.last { $0.topic == config }.map(isEmpty) == true, "nothing republishes the config after it was cleared")
        // A config still there is not touched.
        #expect(!observer.messages.dropFirst(seen).contains { $0.topic == "homeassistant/switch/robocat/eyes/config" && ($0.payload.isEmpty || $0.payload == "(null)") })
    }

    @Test func overTLSWithAClientCertificateAndNotWithout() async throws {
        let broker = try MosquittoBroker(tls: true)
        let files = try #require(broker.tlsFiles)
        let passwordFile = broker.directory.appendingPathComponent("iotoyd-password")
        try MosquittoBroker.users["iotoyd"]!.write(to: passwordFile, atomically: true, encoding: .utf8)
        func board(_ tls: String) -> String {
            Self.demo + "\nmqtt: { host: 127.0.0.1, port: \(broker.port), username: iotoyd, password_file: \(passwordFile.path), tls: \(tls) }\n"
        }
        let withCertificate = try await Daemon.simulating(board("{ ca_file: \(files.caFile), cert_file: \(files.certFile), key_file: \(files.keyFile) }"))
        #expect(await withCertificate.waitForLog("MQTT: connected"), "\(withCertificate.log)")
        _ = withCertificate.stop()
        // The broker asks for a client certificate: without one the handshake fails, retried.
        let without = try await Daemon.simulating(board("{ ca_file: \(files.caFile) }"))
        defer { _ = without.stop() }
        #expect(await without.waitForLog("retrying with back-off"), "\(without.log)")
        #expect(!without.log.contains("MQTT: connected"))
        #expect(try await without.request(.get, "/eyes").status == 200)
    }

    @Test func aPasswordFileThatCannotBeReadStopsTheStartSayingWhich() async throws {
        let missing = "/nonexistent/iotoy-mqtt-password"
        let yaml = Self.demo + "\nmqtt: { host: 127.0.0.1, username: iotoyd, password_file: \(missing) }\n"
        let error = await #expect(throws: DaemonError.self) { try await Daemon.simulating(yaml) }
        #expect("\(String(describing: error))".contains("mqtt.password_file \(missing) cannot be read"), "\(String(describing: error))")
    }
}
