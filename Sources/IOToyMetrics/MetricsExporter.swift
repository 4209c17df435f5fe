import CoreMetrics
import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import Prometheus
import Synchronization

/// `GET /metrics`: one swift-prometheus registry that every module records into through
/// swift-metrics (``factory``), plus the gauges read when scraped (component states, sample
/// ages, owner queues, stream watchers, the process), rendered in Prometheus' text format.
public final class MetricsExporter: Sendable {
    /// The families read at scrape time.
    public enum Name {
        public static let componentState = "iotoyd_component_state"
        public static let sampleAge = "iotoyd_component_sample_age_seconds"
        public static let ownerQueue = "iotoyd_owner_queue_depth"
        public static let watchers = "iotoyd_stream_watchers"
        public static let uptime = "iotoyd_uptime_seconds"
        public static let residentMemory = "process_resident_memory_bytes"
        public static let openFileDescriptors = "process_open_fds"
        public static let startTime = "process_start_time_seconds"
    }

    /// What each scrape-time family means.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(Name.componentState, help: "1 for the state the component is in (starting, running, faulted), 0 for the others."),
        MetricDescription(Name.sampleAge, help: "Seconds since the component's newest cached value was taken."),
        MetricDescription(Name.ownerQueue, help: "Operations waiting on a bus, chip or port owner's thread."),
        MetricDescription(Name.watchers, help: "Open event streams."),
        MetricDescription(Name.uptime, help: "Seconds since iotoyd started serving."),
        MetricDescription(Name.residentMemory, help: "Resident memory of the iotoyd process in bytes."),
        MetricDescription(Name.openFileDescriptors, help: "Open file descriptors of the iotoyd process."),
        MetricDescription(Name.startTime, help: "When the iotoyd process started, in seconds since the Unix epoch."),
    ]

    /// What the operating system says about this process at a scrape; nil fields are left out.
    public struct ProcessSample: Sendable {
        public var residentMemoryBytes: Double?
        public var openFileDescriptors: Double?
        public var startTimeSeconds: Double?

        public init(residentMemoryBytes: Double? = nil, openFileDescriptors: Double? = nil, startTimeSeconds: Double? = nil) {
            self.residentMemoryBytes = residentMemoryBytes
            self.openFileDescriptors = openFileDescriptors
            self.startTimeSeconds = startTimeSeconds
        }
    }

    /// The factory every instrument of the daemon is made from.
    public let factory: any MetricsFactory
    /// The HTTP server's instruments.
    public let http: HTTPMetrics
    let registry: PrometheusCollectorRegistry
    let process: @Sendable () -> ProcessSample
    let wallClock: @Sendable () -> Double
    let startedAt: Double
    /// The scrape-time gauges set by the last scrape, by family and labels.
    private let gauges = Mutex<[GaugeKey: CoreMetrics.Gauge]>([:])

    struct GaugeKey: Hashable {
        let name: String
        let labels: [String]
    }

    /// An exporter whose families are described by `catalogue` (``standardDescriptions`` and
    /// any other module's). `process` is read at each scrape.
    public init(
        catalogue: MetricsCatalogue, wallClock: @escaping @Sendable () -> Double,
        process: @escaping @Sendable () -> ProcessSample = { ProcessSample() }
    ) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        let factory = CataloguedMetricsFactory(registry: registry, catalogue: catalogue)
        self.factory = factory
        self.http = HTTPMetrics(factory: factory)
        self.process = process
        self.wallClock = wallClock
        self.startedAt = wallClock()
    }

    /// The descriptions of every family the daemon's own modules record.
    public static let standardDescriptions: [MetricDescription] =
        descriptions + DispatcherMetrics.descriptions + SerialLinkMetrics.descriptions + HTTPMetrics.descriptions

    /// The text exposition of every family, after reading the scrape-time gauges from
    /// `dispatcher`.
    public func render(_ dispatcher: Dispatcher) -> [UInt8] {
        updateGauges(dispatcher)
        return registry.emitToBuffer()
    }

    func updateGauges(_ dispatcher: Dispatcher) {
        var values: [GaugeKey: (dimensions: [(String, String)], value: Double)] = [:]
        func set(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
            values[GaugeKey(name: name, labels: dimensions.flatMap { [$0.0, $0.1] })] = (dimensions, value)
        }
        let now = wallClock()
        let tree = dispatcher.tree
        var newest: [ResourcePath: Double] = [:]
        for (path, entry) in dispatcher.cache.entries(below: .root) {
            guard case .attribute(let attribute)? = tree.node(at: path) else { continue }
            newest[attribute.mount.path] = max(newest[attribute.mount.path] ?? 0, entry.timestamp)
        }
        var owners: [String: Int] = [:]
        for mount in tree.mounts {
            let current: String = switch mount.currentHealth {
            case .starting: "starting"
            case .ready: "running"
            case .faulted: "faulted"
            }
            for state in ["starting", "running", "faulted"] {
                set(Name.componentState, [("path", mount.path.description), ("kind", mount.kind), ("state", state)], state == current ? 1 : 0)
            }
            if let taken = newest[mount.path] { set(Name.sampleAge, [("path", mount.path.description)], max(0, now - taken)) }
            owners[mount.owner.name] = mount.owner.queueDepth
        }
        for (owner, depth) in owners { set(Name.ownerQueue, [("owner", owner)], Double(depth)) }
        set(Name.watchers, [], Double(dispatcher.journal.watcherCount))
        set(Name.uptime, [], max(0, now - startedAt))
        let sample = process()
        if let value = sample.residentMemoryBytes { set(Name.residentMemory, [], value) }
        if let value = sample.openFileDescriptors { set(Name.openFileDescriptors, [], value) }
        if let value = sample.startTimeSeconds { set(Name.startTime, [], value) }
        let factory = factory
        let stale = gauges.withLock { gauges -> [CoreMetrics.Gauge] in
            var stale: [CoreMetrics.Gauge] = []
            for (key, gauge) in gauges where values[key] == nil {
                stale.append(gauge)
                gauges[key] = nil
            }
            for (key, entry) in values {
                let gauge = gauges[key] ?? CoreMetrics.Gauge(label: key.name, dimensions: entry.dimensions, factory: factory)
                gauges[key] = gauge
                gauge.record(entry.value)
            }
            return stale
        }
        for gauge in stale { gauge.destroy() }
    }
}
