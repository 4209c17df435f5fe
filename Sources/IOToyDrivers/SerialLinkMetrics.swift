import CoreMetrics
import IOToyCore

/// One serial link's statistics, after Klipper's: commands sent, replies that timed out,
/// resynchronisations after a timeout, device resets, the round-trip time of each command,
/// bytes in and out. Recorded through swift-metrics, labelled with the port.
public struct SerialLinkMetrics: Sendable {
    /// The families recorded here.
    public enum Name {
        public static let commands = "iotoyd_serial_commands_total"
        public static let timeouts = "iotoyd_serial_timeouts_total"
        public static let resyncs = "iotoyd_serial_resyncs_total"
        public static let resets = "iotoyd_serial_resets_total"
        public static let roundTrip = "iotoyd_serial_round_trip_seconds"
        public static let received = "iotoyd_serial_received_bytes_total"
        public static let sent = "iotoyd_serial_sent_bytes_total"
    }

    /// What each family means.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(Name.commands, help: "Commands sent to the serial device."),
        MetricDescription(Name.timeouts, help: "Commands the serial device did not answer in time."),
        MetricDescription(Name.resyncs, help: "Times the link got back in step after a timeout (late replies dropped)."),
        MetricDescription(Name.resets, help: "Times the serial device reset (sent its ready line unasked)."),
        MetricDescription(
            Name.roundTrip, help: "Time from a command written to its reply read.",
            bucketsSeconds: [0.000_5, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]),
        MetricDescription(Name.received, help: "Bytes read from the serial port."),
        MetricDescription(Name.sent, help: "Bytes written to the serial port."),
    ]

    let commands: Counter
    let timeouts: Counter
    let resyncs: Counter
    let resets: Counter
    let roundTrip: Timer
    let received: Counter
    let sent: Counter

    /// The instruments of the link on `port`; swift-metrics' no-op factory records nothing.
    public init(port: String, factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        let dimensions = [("port", port)]
        commands = Counter(label: Name.commands, dimensions: dimensions, factory: factory)
        timeouts = Counter(label: Name.timeouts, dimensions: dimensions, factory: factory)
        resyncs = Counter(label: Name.resyncs, dimensions: dimensions, factory: factory)
        resets = Counter(label: Name.resets, dimensions: dimensions, factory: factory)
        roundTrip = Timer(label: Name.roundTrip, dimensions: dimensions, factory: factory)
        received = Counter(label: Name.received, dimensions: dimensions, factory: factory)
        sent = Counter(label: Name.sent, dimensions: dimensions, factory: factory)
    }
}
