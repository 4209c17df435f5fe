/// What one metric family means, declared by the module that records it: its name (the
/// label given to swift-metrics), its help text and, for a duration histogram, its buckets.
/// The daemon gathers every module's descriptions into the catalogue `GET /metrics` is
/// rendered with, so every family carries its `# HELP` line.
public struct MetricDescription: Sendable, Hashable {
    /// The family name, e.g. `iotoyd_component_faults_total`.
    public let name: String
    /// One line for `# HELP`.
    public let help: String
    /// A duration histogram's upper bounds in seconds, or nil for counters and gauges.
    public let bucketsSeconds: [Double]?

    public init(_ name: String, help: String, bucketsSeconds: [Double]? = nil) {
        self.name = name
        self.help = help
        self.bucketsSeconds = bucketsSeconds
    }
}

extension Duration {
    /// This duration in whole nanoseconds (what swift-metrics' timers record).
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
