import IOToyCore
import IOToyDispatcher
import IOToyMQTT
import Logging
import Synchronization

/// The tree on an MQTT broker: every value change published (retained) to its topic,
/// `online`/`offline` on the status topic (`offline` also as the connection's will), commands
/// on `…/set` and `…/call` taken through the dispatcher exactly as HTTP's PUT and POST are
/// (types, limits, the emergency stop, failsafe renewal, `read_only`) with the answer or the
/// IOTOY exception on `…/result`, and Home Assistant's discovery configs. After every
/// (re)connection the status, the configs and every current value are published again, and
/// configs this device left retained earlier for resources it no longer has are cleared.
///
/// The broker never slows the HTTP side: publishing only queues (``MQTTClient``).
public final class MQTTBridge: Sendable {
    /// What the board's `mqtt:` section says beyond the connection.
    public struct Configuration: Sendable {
        /// The first topic level (`iotoy`).
        public var prefix: String
        /// Home Assistant's discovery prefix, or nil for no discovery.
        public var discoveryPrefix: String?
        /// The version Home Assistant shows for the device.
        public var softwareVersion: String
        /// `server.read_only`: every command is refused (403).
        public var readOnly: @Sendable () -> Bool

        public init(prefix: String = "iotoy", discoveryPrefix: String? = "homeassistant", softwareVersion: String, readOnly: @escaping @Sendable () -> Bool = { false }) {
            self.prefix = prefix
            self.discoveryPrefix = discoveryPrefix
            self.softwareVersion = softwareVersion
            self.readOnly = readOnly
        }
    }

    public let client: MQTTClient
    let dispatcher: Dispatcher
    let configuration: Configuration
    let logger: Logger
    /// What was last published for the tree: config topics and value topics, to clear on removal.
    let published = Mutex(Published())

    struct Published {
        var configs: Set<String> = []
        /// Value topic → the payload last published there.
        var values: [String: [UInt8]] = [:]
    }

    /// The topics of `device` under the configured prefix.
    public static func topics(prefix: String, device: String) -> MQTTTopics { MQTTTopics(prefix: prefix, device: device) }

    /// The will (`offline`, retained) the client's settings must carry for `device`.
    public static func will(prefix: String, device: String) -> MQTTMessage {
        MQTTMessage(topic: MQTTTopics(prefix: prefix, device: device).status, text: "offline", retain: true)
    }

    public init(client: MQTTClient, dispatcher: Dispatcher, configuration: Configuration, logger: Logger) {
        self.client = client
        self.dispatcher = dispatcher
        self.configuration = configuration
        self.logger = logger
    }

    var topics: MQTTTopics { MQTTTopics(prefix: configuration.prefix, device: dispatcher.tree.device) }

    var discovery: HomeAssistantDiscovery? {
        configuration.discoveryPrefix.map {
            HomeAssistantDiscovery(discoveryPrefix: $0, topics: topics, device: dispatcher.tree.device, softwareVersion: configuration.softwareVersion)
        }
    }

    /// Bridges until the task is cancelled, then publishes `offline` and disconnects.
    public func run() async {
        let changes = dispatcher.changes.subscribe()
        client.setSubscriptions(subscriptions(for: dispatcher.tree))
        client.start()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await event in changes { self.changed(event) }
            }
            group.addTask { [self] in
                await withTaskGroup(of: Void.self) { commands in
                    for await event in client.events {
                        switch event {
                        case .connected:
                            commands.addTask { await self.publishEverything() }
                        case .message(let message):
                            commands.addTask { await self.received(message) }
                        case .disconnected, .subscriptionRefused, .publishRefused:
                            break
                        }
                    }
                }
            }
            // Both loops end when the task is cancelled (their streams end with it).
            for await _ in group {}
        }
        await client.stop(final: MQTTMessage(topic: topics.status, text: "offline", retain: true, acknowledged: true))
    }

    /// The command topics of a tree's writable attributes and functions, and the retained
    /// discovery configs of this device.
    func subscriptions(for tree: ResourceTree) -> Set<String> {
        let topics = MQTTTopics(prefix: configuration.prefix, device: tree.device)
        var wanted = Set<String>()
        for (path, node) in tree.nodes {
            switch node {
            case .attribute(let attribute) where attribute.info.writable: wanted.insert(topics.set(path))
            case .function: wanted.insert(topics.call(path))
            default: break
            }
        }
        if let discovery { wanted.insert(discovery.retainedConfigs) }
        return wanted
    }

    // MARK: Out

    func changed(_ event: ChangeEvent) {
        switch event.kind {
        case .sample, .edge, .set:
            guard let value = event.value, case .attribute? = dispatcher.tree.node(at: event.path) else { return }
            publishValue(value, at: event.path)
        case .tree:
            client.setSubscriptions(subscriptions(for: dispatcher.tree))
            publishDiscovery()
        case .call, .started, .recovered, .failsafe:
            let path = event.path
            Task { await self.refresh(at: path) }
        case .fault:
            break
        }
    }

    /// Publishes a value when it differs from the one last published there (a sensor polled
    /// every second does not repeat itself). `unlessPublished`: only when nothing was published
    /// there since the connection (a value read for the snapshot after a connection must not
    /// overwrite a newer change that went out while the snapshot was being read).
    func publishValue(_ value: JSONValue, at path: ResourcePath, unlessPublished: Bool = false) {
        let topic = topics.value(path)
        let payload = (try? JSONCoding.encode(value)) ?? []
        let send = published.withLock { published -> Bool in
            let last = published.values[topic]
            if unlessPublished ? last != nil : last == payload { return false }
            published.values[topic] = payload
            return true
        }
        guard send else { return }
        client.publish(MQTTMessage(topic: topic, payload: payload, retain: true))
    }

    /// The attributes of the component at `path` (or of the function's component), read and
    /// published: after a call, which changes what it acts on (`eyes/toggle` changes `eyes`),
    /// after a failsafe or emergency stop, and when a component starts or recovers (it may have been starting when the connection's
    /// snapshot was read, and an actuator's value never comes as a sample).
    func refresh(at path: ResourcePath) async {
        let tree = dispatcher.tree
        let mount: Mount
        switch tree.node(at: path) {
        case .function(let function)?: mount = function.mount
        default:
            guard let found = tree.mounts.first(where: { $0.path == path }) else { return }
            mount = found
        }
        for case .attribute(let attribute) in tree.leaves where attribute.mount === mount {
            guard let bytes = try? await dispatcher.get(attribute.path),
                  case .object(let fields)? = try? JSONCoding.decode(JSONValue.self, from: bytes), let value = fields["value"] else { continue }
            publishValue(value, at: attribute.path)
        }
    }

    /// The configs for the tree as it is; configs and values of resources gone are cleared
    /// (an empty retained message makes the broker, and Home Assistant, forget them).
    func publishDiscovery() {
        let tree = dispatcher.tree
        let configs = discovery?.configs(for: tree) ?? []
        let liveValues = Set(tree.nodes.compactMap { path, node -> String? in
            if case .attribute = node { return topics.value(path) }
            return nil
        })
        let (goneConfigs, goneValues) = published.withLock { published -> (Set<String>, Set<String>) in
            let goneConfigs = published.configs.subtracting(configs.map(\.topic))
            let goneValues = Set(published.values.keys).subtracting(liveValues)
            published.configs = Set(configs.map(\.topic))
            for topic in goneValues { published.values[topic] = nil }
            return (goneConfigs, goneValues)
        }
        for topic in goneConfigs.sorted() { client.publish(MQTTMessage(topic: topic, payload: [], retain: true, acknowledged: true)) }
        for topic in goneValues.sorted() { client.publish(MQTTMessage(topic: topic, payload: [], retain: true)) }
        for config in configs {
            client.publish(MQTTMessage(topic: config.topic, payload: (try? JSONCoding.encode(config.payload)) ?? [], retain: true, acknowledged: true))
        }
    }

    /// After a (re)connection: online, the configs, then every attribute's current value.
    func publishEverything() async {
        // The broker may have lost every retained value (a restart without persistence).
        published.withLock { $0.values = [:] }
        client.publish(MQTTMessage(topic: topics.status, text: "online", retain: true, acknowledged: true))
        publishDiscovery()
        for (path, node) in dispatcher.tree.nodes.sorted(by: { $0.key < $1.key }) {
            guard case .attribute = node, let bytes = try? await dispatcher.get(path),
                  let representation = try? JSONCoding.decode(JSONValue.self, from: bytes),
                  case .object(let fields) = representation, let value = fields["value"] else { continue }
            publishValue(value, at: path, unlessPublished: true)
        }
    }

    // MARK: In

    func received(_ message: MQTTMessage) async {
        if let discovery, message.topic.hasPrefix(discovery.discoveryPrefix + "/") {
            forgetIfStale(message)
            return
        }
        guard let (path, isCall) = topics.command(in: message.topic) else { return }
        let answer: [UInt8]
        let status: Int
        do {
            if configuration.readOnly() {
                throw IOToyError(.forbidden, message: "this robot is read-only (server.read_only): \(isCall ? "calls" : "changes") are refused")
            }
            let input = Self.input(message.payload)
            answer = isCall ? try await dispatcher.post(path, input) : try await dispatcher.put(path, input)
            status = 200
        } catch {
            let failure = IOToyError(mapping: error)
            logger.debug("MQTT command refused", metadata: ["path": "\(path)", "error": "\(failure)"])
            answer = (try? JSONCoding.encode(failure.representation(href: path.description))) ?? []
            status = failure.status
        }
        var result: [String: JSONValue] = [:]
        if case .object(let fields)? = try? JSONCoding.decode(JSONValue.self, from: answer) { result = fields }
        result["status"] = .int(status)
        client.publish(MQTTMessage(topic: topics.result(path), payload: (try? JSONCoding.encode(JSONValue.object(result))) ?? []))
    }

    /// A payload as a request body: JSON when it parses (`120`, `true`, `[1, 2]`), else text.
    static func input(_ payload: [UInt8]) -> RequestInput {
        if payload.isEmpty { return .empty }
        if let json = try? JSONCoding.decode(JSONValue.self, from: payload) { return .json(json) }
        return .text(String(decoding: payload, as: UTF8.self))
    }

    /// A retained config of this device for a resource it no longer has: cleared.
    func forgetIfStale(_ message: MQTTMessage) {
        guard message.retain, !message.payload.isEmpty, let discovery else { return }
        // Usually a config just published (every one arrives back at a connection): no work.
        if published.withLock({ $0.configs.contains(message.topic) }) { return }
        // From the tree, not only from what was published: this may arrive before the configs go out.
        guard !discovery.configs(for: dispatcher.tree).contains(where: { $0.topic == message.topic }) else { return }
        logger.info("MQTT: clearing a stale discovery config", metadata: ["topic": "\(message.topic)"])
        client.publish(MQTTMessage(topic: message.topic, payload: [], retain: true, acknowledged: true))
    }
}
