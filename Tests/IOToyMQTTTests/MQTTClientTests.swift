import IOToyMQTT
import IOToyTesting
import Logging
import MetricsTestKit
import Testing

/// The libmosquitto client against a real Mosquitto broker (users, ACL) on loopback, observed
/// with mosquitto_sub: delivery, subscriptions, refusals that are retried and never fatal, a
/// broker restart, the bounded queue, a clean stop.
@Suite("MQTT client against a real broker", .serialized)
struct MQTTClientTests {
    static func settings(_ broker: MosquittoBroker, user: String = "iotoyd", password: String? = nil) -> MQTTSettings {
        var settings = MQTTSettings(host: "127.0.0.1", port: broker.port, clientID: "test-\(UInt32.random(in: 0...UInt32.max))")
        settings.username = user
        settings.password = password ?? MosquittoBroker.users[user]
        settings.minimumRetryDelay = .milliseconds(50)
        settings.maximumRetryDelay = .milliseconds(200)
        return settings
    }

    /// The next event satisfying `matches`, or nil when the stream ends first.
    static func next(_ events: inout AsyncStream<MQTTEvent>.Iterator, _ matches: (MQTTEvent) -> Bool) async -> MQTTEvent? {
        while let event = await events.next() {
            if matches(event) { return event }
        }
        return nil
    }

    @Test func publishesRetainedAndReceivesWhatItSubscribedTo() async throws {
        let broker = try MosquittoBroker()
        let observer = try await broker.observe("iotoy/#")
        let client = MQTTClient(settings: Self.settings(broker), logger: Logger(label: "test"))
        var events = client.events.makeAsyncIterator()
        client.setSubscriptions(["iotoy/cat/eyes/set"])
        client.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        client.publish(MQTTMessage(topic: "iotoy/cat/eyes", text: "true", retain: true))
        let seen = await observer.first(on: "iotoy/cat/eyes")
        #expect(seen?.payload == "true")
        // A late subscriber gets the retained value.
        let late = try await broker.observe("iotoy/cat/#")
        #expect(await late.first(on: "iotoy/cat/eyes")?.retained == true)

        try broker.publish("iotoy/cat/eyes/set", "false")
        let message = await Self.next(&events) { if case .message = $0 { true } else { false } }
        #expect(message == .message(MQTTMessage(topic: "iotoy/cat/eyes/set", text: "false")))
        await client.stop()
    }

    @Test func aWrongPasswordIsRetriedNotFatal() async throws {
        let broker = try MosquittoBroker()
        let metrics = TestMetrics()
        let client = MQTTClient(
            settings: Self.settings(broker, password: "wrong"), logger: Logger(label: "test"), metrics: MQTTClientMetrics(factory: metrics))
        var events = client.events.makeAsyncIterator()
        client.start()
        let refused = await Self.next(&events) { if case .disconnected = $0 { true } else { false } }
        guard case .disconnected(let reason)? = refused else { Issue.record("no refusal"); return }
        #expect(reason.contains("not authorised") || reason.contains("Not authorized"), "\(reason)")
        // Retried with back-off, told each time, and still alive.
        for _ in 0..<2 { #expect(await Self.next(&events) { if case .disconnected = $0 { true } else { false } } != nil) }
        #expect(try metrics.expectCounter(MQTTClientMetrics.Name.attempts).totalValue >= 3)
        #expect(!client.isConnected)
        #expect(try metrics.expectGauge(MQTTClientMetrics.Name.connected).lastValue == 0)
        await client.stop()
    }

    @Test func aPublishTheACLRefusesIsReportedAndTheRestWorks() async throws {
        let broker = try MosquittoBroker()
        let observer = try await broker.observe("iotoy/#")
        let client = MQTTClient(settings: Self.settings(broker), logger: Logger(label: "test"))
        var events = client.events.makeAsyncIterator()
        client.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        client.publish(MQTTMessage(topic: "secret/stuff", text: "{}", retain: true, acknowledged: true))
        let refused = await Self.next(&events) { if case .publishRefused = $0 { true } else { false } }
        #expect(refused == .publishRefused(topic: "secret/stuff"))
        #expect(client.isConnected, "a refusal is not a disconnection")
        client.publish(MQTTMessage(topic: "iotoy/cat/status", text: "online", acknowledged: true))
        #expect(await observer.first(on: "iotoy/cat/status")?.payload == "online")
        await client.stop()
    }

    @Test func aBrokerRestartIsSurvivedAndSubscriptionsAreRenewed() async throws {
        let broker = try MosquittoBroker()
        let client = MQTTClient(settings: Self.settings(broker), logger: Logger(label: "test"))
        var events = client.events.makeAsyncIterator()
        client.setSubscriptions(["iotoy/cat/eyes/set"])
        client.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        broker.stop()
        #expect(await Self.next(&events) { if case .disconnected = $0 { true } else { false } } != nil)
        #expect(!client.isConnected)
        try broker.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        try broker.publish("iotoy/cat/eyes/set", "true")
        let message = await Self.next(&events) { if case .message = $0 { true } else { false } }
        #expect(message == .message(MQTTMessage(topic: "iotoy/cat/eyes/set", text: "true")), "subscribed again")
        await client.stop()
    }

    @Test func whileTheBrokerIsAwayTheQueueKeepsTheNewestAndCountsTheRest() async throws {
        let broker = try MosquittoBroker()
        broker.stop()
        let metrics = TestMetrics()
        var settings = Self.settings(broker)
        settings.queueCapacity = 10
        let client = MQTTClient(settings: settings, logger: Logger(label: "test"), metrics: MQTTClientMetrics(factory: metrics))
        client.start()
        for value in 0..<100 { client.publish(MQTTMessage(topic: "iotoy/cat/count", text: "\(value)")) }
        #expect(client.queuedCount == 10)
        #expect(try metrics.expectCounter(MQTTClientMetrics.Name.dropped).totalValue == 90)
        // Once the broker is back the newest ten are sent, in order.
        try broker.start()
        let observer = try await broker.observe("iotoy/#")
        _ = observer
        var events = client.events.makeAsyncIterator()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        #expect(try metrics.expectCounter(MQTTClientMetrics.Name.published).totalValue >= 0)
        await client.stop()
        #expect(client.queuedCount == 0)
        #expect(try metrics.expectCounter(MQTTClientMetrics.Name.published).totalValue == 10)
    }

    @Test func stopPublishesTheFinalMessageAndDisconnectsCleanly() async throws {
        let broker = try MosquittoBroker()
        let observer = try await broker.observe("iotoy/#")
        var settings = Self.settings(broker)
        settings.will = MQTTMessage(topic: "iotoy/cat/status", text: "offline", retain: true)
        let client = MQTTClient(settings: settings, logger: Logger(label: "test"))
        var events = client.events.makeAsyncIterator()
        client.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        client.publish(MQTTMessage(topic: "iotoy/cat/status", text: "online", retain: true))
        #expect(await observer.first(on: "iotoy/cat/status")?.payload == "online")
        let before = observer.messages.count
        await client.stop(final: MQTTMessage(topic: "iotoy/cat/status", text: "offline", retain: true))
        let last = await observer.first(on: "iotoy/cat/status", after: before)
        #expect(last?.payload == "offline")
        #expect(!client.isConnected)
    }

    /// The broker lets 20 acknowledged publishes be in flight; the rest wait in libmosquitto for
    /// acknowledgements. A stop right after a burst must still deliver all of it, then the final
    /// message, before it disconnects (in CI a stop lost the `offline` this way).
    @Test func aStopAfterABurstBeyondTheInFlightWindowStillDeliversTheFinalMessage() async throws {
        let broker = try MosquittoBroker()
        let observer = try await broker.observe("iotoy/#")
        let client = MQTTClient(settings: Self.settings(broker), logger: Logger(label: "test"))
        var events = client.events.makeAsyncIterator()
        client.start()
        #expect(await Self.next(&events) { $0 == .connected } != nil)
        for index in 0..<200 {
            client.publish(MQTTMessage(topic: "iotoy/cat/config/\(index)", text: "\(index)", retain: true, acknowledged: true))
        }
        await client.stop(final: MQTTMessage(topic: "iotoy/cat/status", text: "offline", retain: true, acknowledged: true))
        let last = await observer.first(on: "iotoy/cat/status")
        #expect(last?.payload == "offline")
        let configs = observer.messages.filter { $0.topic.hasPrefix("iotoy/cat/config/") }
        #expect(configs.count == 200, "every queued message was delivered before the final one")
        #expect(observer.messages.last?.topic == "iotoy/cat/status")
    }
}
