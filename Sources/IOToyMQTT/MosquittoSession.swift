import CMosquitto
import Glibc
import Logging

/// The client's thread: one libmosquitto handle, used from this thread only (hence
/// `@unchecked Sendable`: it is handed to the thread once). Connects, sends what is queued,
/// reads, keeps alive, and after any failure waits out the back-off and reconnects.
final class MosquittoSession: @unchecked Sendable {
    let client: MQTTClient
    private var handle: OpaquePointer?
    private var connected = false
    /// A connection attempt is under way or established (the socket is the broker's).
    private var attached = false
    private var everAttached = false
    private var backoff: Duration
    private var subscribed: Set<String> = []
    /// Message id → topic of subscriptions awaiting their acknowledgement.
    private var pendingSubscriptions: [Int32: String] = [:]
    /// Message id → topic of acknowledged publishes awaiting their acknowledgement.
    private var pendingPublishes: [Int32: String] = [:]
    /// The last failure logged, so a broker that stays away is logged once, not every retry.
    private var lastFailure: String?
    /// Why the disconnect callback said the connection ended.
    private var lossReason: String?
    /// The broker's refusal of this attempt (bad credentials): the reason, whatever fails after.
    private var refusal: String?

    private static let libraryReady: Bool = { mosquitto_lib_init() == Int32(MOSQ_ERR_SUCCESS.rawValue) }()

    init(client: MQTTClient) {
        self.client = client
        backoff = client.settings.minimumRetryDelay
    }

    var settings: MQTTSettings { client.settings }
    var logger: Logger { client.logger }

    func run() {
        defer { client.threadEnded() }
        guard Self.libraryReady, let handle = mosquitto_new(settings.clientID, true, Unmanaged.passUnretained(self).toOpaque()) else {
            logger.error("MQTT: libmosquitto could not be set up")
            return
        }
        self.handle = handle
        defer { mosquitto_destroy(handle) }
        configure(handle)
        while !client.shared.withLock({ $0.stopping }) {
            if !attached {
                connect(handle)
                if !attached { waitOutBackoff(); continue }
            }
            if connected { sendQueued(handle); renewSubscriptions(handle) }
            if let failure = exchange(handle) {
                lost(failure)
                waitOutBackoff()
            }
        }
        finish(handle)
    }

    private func configure(_ handle: OpaquePointer) {
        // MQTT 5: the broker answers an acknowledged publish its ACL refuses with a reason code.
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5)
        if let username = settings.username { mosquitto_username_pw_set(handle, username, settings.password) }
        if let will = settings.will {
            will.payload.withUnsafeBytes { bytes in
                _ = mosquitto_will_set(handle, will.topic, Int32(bytes.count), bytes.baseAddress, 1, will.retain)
            }
        }
        if let tls = settings.tls {
            let rc = mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil)
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
                logger.error("MQTT: the TLS files were refused", metadata: ["error": "\(Self.describe(rc))", "ca_file": "\(tls.caFile)"])
            }
        }
        mosquitto_connect_callback_set(handle) { _, context, code in
            MosquittoSession.from(context).connectAnswered(code)
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            MosquittoSession.from(context).disconnected(code)
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let message else { return }
            MosquittoSession.from(context).received(message.pointee)
        }
        mosquitto_publish_v5_callback_set(handle) { _, context, messageID, reason, _ in
            MosquittoSession.from(context).publishAnswered(messageID, reason: reason)
        }
        mosquitto_subscribe_callback_set(handle) { _, context, messageID, count, granted in
            MosquittoSession.from(context).subscriptionAnswered(messageID, granted: count > 0 ? granted?.pointee : nil)
        }
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> MosquittoSession {
        Unmanaged<MosquittoSession>.fromOpaque(context!).takeUnretainedValue()
    }

    private func connect(_ handle: OpaquePointer) {
        client.metrics.attempts.increment()
        let rc = everAttached
            ? mosquitto_reconnect_async(handle)
            : mosquitto_connect_async(handle, settings.host, Int32(settings.port), Int32(settings.keepAliveSeconds))
        if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
            attached = true
            everAttached = true
        } else {
            report("cannot reach the broker: \(Self.describe(rc))")
        }
    }

    /// One round of the external loop: waits up to a second (or `limit`) for the socket or a wake-up, then
    /// reads, writes and keeps alive. Returns why the connection failed, or nil.
    private func exchange(_ handle: OpaquePointer, waitingAtMost limit: Duration = .seconds(1)) -> String? {
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return "the connection closed" }
        var descriptors = [
            pollfd(fd: socket, events: Int16(POLLIN) | (mosquitto_want_write(handle) ? Int16(POLLOUT) : 0), revents: 0),
            pollfd(fd: client.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds = Int32(clamping: max(1, limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000))
        let ready = poll(&descriptors, 2, min(1000, milliseconds))
        if ready < 0, errno != EINTR { return "poll failed: \(String(cString: strerror(errno)))" }
        if descriptors[1].revents != 0 {
            var count: UInt64 = 0
            _ = read(client.wakeDescriptor, &count, 8)
        }
        let success = Int32(MOSQ_ERR_SUCCESS.rawValue)
        // After a refused CONNACK the read fails too: the refusal is the reason, said once.
        if descriptors[0].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 {
            let rc = mosquitto_loop_read(handle, 1)
            if rc != success { return attached ? Self.describe(rc) : (refusal ?? lossReason ?? lastFailure ?? Self.describe(rc)) }
        }
        if mosquitto_want_write(handle) {
            let rc = mosquitto_loop_write(handle, 1)
            if rc != success { return attached ? Self.describe(rc) : (refusal ?? lossReason ?? lastFailure ?? Self.describe(rc)) }
        }
        let rc = mosquitto_loop_misc(handle)
        if rc != success { return Self.describe(rc) }
        return attached ? nil : (refusal ?? lossReason ?? lastFailure ?? "disconnected")
    }

    private func sendQueued(_ handle: OpaquePointer) {
        let batch = client.shared.withLock { shared -> [MQTTMessage] in
            defer { shared.queue.removeAll() }
            return Array(shared.queue)
        }
        for message in batch {
            var messageID: Int32 = 0
            let rc = message.payload.withUnsafeBytes { bytes in
                mosquitto_publish(
                    handle, &messageID, message.topic, Int32(bytes.count), bytes.baseAddress, message.acknowledged ? 1 : 0, message.retain)
            }
            if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                if message.acknowledged { pendingPublishes[messageID] = message.topic }
                client.metrics.published.increment()
            } else {
                client.metrics.dropped.increment()
                logger.debug("MQTT: a message could not be sent", metadata: ["topic": "\(message.topic)", "error": "\(Self.describe(rc))"])
            }
        }
    }

    private func renewSubscriptions(_ handle: OpaquePointer) {
        let wanted = client.shared.withLock { $0.subscriptions }
        for topic in wanted.subtracting(subscribed).sorted() {
            var messageID: Int32 = 0
            if mosquitto_subscribe(handle, &messageID, topic, 1) == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                pendingSubscriptions[messageID] = topic
            }
        }
        for topic in subscribed.subtracting(wanted).sorted() { mosquitto_unsubscribe(handle, nil, topic) }
        subscribed = wanted
    }

    // MARK: Callbacks (on this thread, inside loop_read)

    private func connectAnswered(_ code: Int32) {
        guard code == 0 else {
            refusal = "the broker refused the connection: \(String(cString: mosquitto_reason_string(code)))"
            attached = false
            return
        }
        connected = true
        subscribed = []
        pendingPublishes = [:]
        pendingSubscriptions = [:]
        backoff = settings.minimumRetryDelay
        if lastFailure != nil { logger.notice("MQTT: connected again", metadata: ["broker": "\(settings.host):\(settings.port)"]) }
        else { logger.info("MQTT: connected", metadata: ["broker": "\(settings.host):\(settings.port)"]) }
        lastFailure = nil
        client.shared.withLock { $0.connected = true }
        client.metrics.connected.record(1)
        client.continuation.yield(.connected)
    }

    private func disconnected(_ code: Int32) {
        attached = false
        lossReason = code == 0 ? "the broker closed the connection" : Self.describe(code)
    }

    private func received(_ message: mosquitto_message) {
        guard let topic = message.topic else { return }
        let payload = message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(message.payloadlen))) } ?? []
        client.metrics.received.increment()
        client.continuation.yield(.message(MQTTMessage(topic: String(cString: topic), payload: payload, retain: message.retain)))
    }

    private func publishAnswered(_ messageID: Int32, reason: Int32) {
        guard let topic = pendingPublishes.removeValue(forKey: messageID), reason >= 0x80 else { return }
        logger.warning("MQTT: the broker refused a publish (its ACL)", metadata: ["topic": "\(topic)", "reason": "\(reason)"])
        client.continuation.yield(.publishRefused(topic: topic))
    }

    private func subscriptionAnswered(_ messageID: Int32, granted: Int32?) {
        guard let topic = pendingSubscriptions.removeValue(forKey: messageID) else { return }
        if granted.map({ $0 >= 0x80 }) ?? true {
            logger.warning("MQTT: the broker refused a subscription (its ACL); retried at the next connection", metadata: ["topic": "\(topic)"])
            client.continuation.yield(.subscriptionRefused(topic: topic))
        }
    }

    // MARK: Failures and the end

    private func lost(_ reason: String) {
        lossReason = nil
        refusal = nil
        let wasConnected = connected
        connected = false
        attached = false
        client.shared.withLock { $0.connected = false }
        client.metrics.connected.record(0)
        if wasConnected {
            logger.warning("MQTT: connection lost; reconnecting with back-off", metadata: ["broker": "\(settings.host):\(settings.port)", "reason": "\(reason)"])
            lastFailure = reason
            client.continuation.yield(.disconnected(reason: reason))
        } else {
            report(reason)
        }
    }

    /// Logs a failure to connect once until something else happens, and tells the events.
    private func report(_ reason: String) {
        client.continuation.yield(.disconnected(reason: reason))
        guard reason != lastFailure else { return }
        lastFailure = reason
        logger.warning("MQTT: \(reason); retrying with back-off", metadata: ["broker": "\(settings.host):\(settings.port)"])
    }

    /// Waits out the back-off (ended early by ``MQTTClient/stop(final:)``), then doubles it.
    private func waitOutBackoff() {
        let deadline = ContinuousClock.now + backoff
        backoff = min(backoff * 2, settings.maximumRetryDelay)
        while !client.shared.withLock({ $0.stopping }) {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return }
            var wake = pollfd(fd: client.wakeDescriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(1000, max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            if poll(&wake, 1, milliseconds) > 0 {
                var count: UInt64 = 0
                _ = read(client.wakeDescriptor, &count, 8)
            }
        }
    }

    /// Sends what is queued and the final message, waits (at most two seconds) until the broker
    /// has acknowledged every acknowledged publish, then disconnects cleanly and flushes.
    ///
    /// The wait matters: the broker lets only so many acknowledged publishes be in flight (20 by
    /// default) and libmosquitto holds the rest until acknowledgements come back. Disconnecting
    /// at once would drop them, the final `offline` among them.
    private func finish(_ handle: OpaquePointer) {
        guard connected else { return }
        sendQueued(handle)
        if let final = client.shared.withLock({ $0.finalMessage }) {
            var messageID: Int32 = 0
            let rc = final.payload.withUnsafeBytes { bytes in
                mosquitto_publish(handle, &messageID, final.topic, Int32(bytes.count), bytes.baseAddress, 1, final.retain)
            }
            if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) { pendingPublishes[messageID] = final.topic }
        }
        let drained = ContinuousClock.now + .seconds(2)
        while !pendingPublishes.isEmpty, attached {
            let remaining = ContinuousClock.now.duration(to: drained)
            guard remaining > .zero, exchange(handle, waitingAtMost: remaining) == nil else { break }
        }
        mosquitto_disconnect(handle)
        let deadline = ContinuousClock.now + .seconds(2)
        while mosquitto_want_write(handle), ContinuousClock.now < deadline {
            if mosquitto_loop_write(handle, 1) != Int32(MOSQ_ERR_SUCCESS.rawValue) { break }
        }
        connected = false
        client.shared.withLock { $0.connected = false }
        client.metrics.connected.record(0)
    }

    static func describe(_ code: Int32) -> String {
        if code == Int32(MOSQ_ERR_ERRNO.rawValue) { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(code))
    }
}
