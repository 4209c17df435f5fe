import CoreMetrics
import IOToyCore

/// The MQTT client's instruments: whether it is connected, connection attempts, messages
/// published, received and dropped from the full queue.
public struct MQTTClientMetrics: Sendable {
    /// The families recorded here.
    public enum Name {
        public static let connected = "iotoyd_mqtt_connected"
        public static let attempts = "iotoyd_mqtt_connection_attempts_total"
        public static let published = "iotoyd_mqtt_published_messages_total"
        public static let received = "iotoyd_mqtt_received_messages_total"
        public static let dropped = "iotoyd_mqtt_dropped_messages_total"
    }

    /// What each family means.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(Name.connected, help: "1 while connected to the MQTT broker, 0 otherwise."),
        MetricDescription(Name.attempts, help: "Connections to the MQTT broker attempted (the first and every retry)."),
        MetricDescription(Name.published, help: "MQTT messages handed to the broker connection."),
        MetricDescription(Name.received, help: "MQTT messages received on subscribed topics."),
        MetricDescription(Name.dropped, help: "MQTT messages dropped because the outbound queue was full (the broker was slow or away)."),
    ]

    let connected: Gauge
    let attempts: Counter
    let published: Counter
    let received: Counter
    let dropped: Counter

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        connected = Gauge(label: Name.connected, factory: factory)
        attempts = Counter(label: Name.attempts, factory: factory)
        published = Counter(label: Name.published, factory: factory)
        received = Counter(label: Name.received, factory: factory)
        dropped = Counter(label: Name.dropped, factory: factory)
    }
}
