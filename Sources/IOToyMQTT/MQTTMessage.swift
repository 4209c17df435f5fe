/// One MQTT message: its topic, its payload bytes and whether the broker keeps it as the
/// topic's last value for later subscribers.
public struct MQTTMessage: Sendable, Hashable {
    public let topic: String
    public let payload: [UInt8]
    public let retain: Bool
    /// Sent at QoS 1: the broker acknowledges it, and says so when its ACL refuses it
    /// (``MQTTEvent/publishRefused(topic:)``). Otherwise QoS 0.
    public let acknowledged: Bool

    public init(topic: String, payload: [UInt8], retain: Bool = false, acknowledged: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.retain = retain
        self.acknowledged = acknowledged
    }

    public init(topic: String, text: String, retain: Bool = false, acknowledged: Bool = false) {
        self.init(topic: topic, payload: Array(text.utf8), retain: retain, acknowledged: acknowledged)
    }
}

/// What the client reports from its thread.
public enum MQTTEvent: Sendable, Equatable {
    /// Connected (again): the broker accepted the credentials. Subscriptions are renewed.
    case connected
    /// The connection is gone or was refused; the client retries with back-off.
    case disconnected(reason: String)
    /// A message on a subscribed topic.
    case message(MQTTMessage)
    /// The broker refused a subscription (its ACL); retried at the next connection. (Mosquitto
    /// grants every subscription and filters what it delivers instead.)
    case subscriptionRefused(topic: String)
    /// The broker refused an acknowledged publish (its ACL).
    case publishRefused(topic: String)
}
