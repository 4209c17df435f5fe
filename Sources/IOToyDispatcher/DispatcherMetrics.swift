import CoreMetrics
import IOToyCore
import Synchronization

/// The dispatcher's instruments, through swift-metrics: per component its faults,
/// recoveries, samples, hardware operations and their errors by kind, failsafe trips; per
/// owner the time its operations take; the stream events dropped for slow watchers.
/// Made from one factory (the daemon's Prometheus registry, or swift-metrics' no-op one).
public final class DispatcherMetrics: Sendable {
    /// The families recorded here.
    public enum Name {
        public static let faults = "iotoyd_component_faults_total"
        public static let recoveries = "iotoyd_component_recoveries_total"
        public static let samples = "iotoyd_component_samples_total"
        public static let operations = "iotoyd_hardware_operations_total"
        public static let errors = "iotoyd_hardware_errors_total"
        public static let failsafeTrips = "iotoyd_failsafe_trips_total"
        public static let ownerOperationTime = "iotoyd_owner_operation_duration_seconds"
        public static let droppedEvents = "iotoyd_stream_dropped_events_total"
    }

    /// What each family means.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(Name.faults, help: "Times the component faulted (a hardware error took it out of service)."),
        MetricDescription(Name.recoveries, help: "Times the component came back after a fault."),
        MetricDescription(Name.samples, help: "Samples taken of the component's sensors or inputs."),
        MetricDescription(Name.operations, help: "Operations run on the component's hardware (reads, writes, calls, samples)."),
        MetricDescription(Name.errors, help: "Hardware operations that failed, by kind of error (io, timeout, disconnected, busy, ...)."),
        MetricDescription(Name.failsafeTrips, help: "Times the actuator's failsafe deadline passed and it went to its safe state."),
        MetricDescription(
            Name.ownerOperationTime, help: "Time one operation takes on a bus, chip or port owner's thread.",
            bucketsSeconds: [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5]),
        MetricDescription(Name.droppedEvents, help: "Stream events dropped because a watcher did not keep up."),
    ]

    /// The instruments of one mounted component.
    final class ComponentInstruments: Sendable {
        let path: String
        let faults: Counter
        let recoveries: Counter
        let samples: Counter
        let operations: Counter
        let failsafeTrips: Counter
        private let factory: any MetricsFactory
        private let errorsByKind = Mutex<[String: Counter]>([:])

        init(path: String, factory: any MetricsFactory) {
            self.path = path
            self.factory = factory
            let dimensions = [("path", path)]
            faults = Counter(label: Name.faults, dimensions: dimensions, factory: factory)
            recoveries = Counter(label: Name.recoveries, dimensions: dimensions, factory: factory)
            samples = Counter(label: Name.samples, dimensions: dimensions, factory: factory)
            operations = Counter(label: Name.operations, dimensions: dimensions, factory: factory)
            failsafeTrips = Counter(label: Name.failsafeTrips, dimensions: dimensions, factory: factory)
        }

        /// Counts a failed operation under its kind of error.
        func recordError(kind: String) {
            let counter = errorsByKind.withLock { counters in
                if let counter = counters[kind] { return counter }
                let counter = Counter(label: Name.errors, dimensions: [("path", path), ("kind", kind)], factory: factory)
                counters[kind] = counter
                return counter
            }
            counter.increment()
        }

        /// Removes the component's series (it left the tree).
        func destroy() {
            for counter in [faults, recoveries, samples, operations, failsafeTrips] { counter.destroy() }
            for counter in errorsByKind.withLock({ Array($0.values) }) { counter.destroy() }
        }
    }

    let factory: any MetricsFactory
    let droppedEvents: Counter
    private let components = Mutex<[ResourcePath: ComponentInstruments]>([:])
    private let owners = Mutex<[ObjectIdentifier: Timer]>([:])

    /// Instruments made from `factory`; swift-metrics' no-op factory records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        droppedEvents = Counter(label: Name.droppedEvents, factory: factory)
    }

    /// The instruments of the component mounted at `path`, made at first use.
    func component(_ mount: Mount) -> ComponentInstruments {
        components.withLock { components in
            if let instruments = components[mount.path] { return instruments }
            let instruments = ComponentInstruments(path: mount.path.description, factory: factory)
            components[mount.path] = instruments
            return instruments
        }
    }

    /// Forgets a component that left the tree (and its series, unless a mount at the same
    /// path replaces it: then its counts go on).
    func forget(_ path: ResourcePath, keeping tree: ResourceTree) {
        guard !tree.mounts.contains(where: { $0.path == path }) else { return }
        components.withLock { $0.removeValue(forKey: path) }?.destroy()
    }

    /// Removes a stopped owner's histogram.
    func forget(_ owner: HardwareOwner) {
        owner.setOperationObserver(nil)
        owners.withLock { $0.removeValue(forKey: ObjectIdentifier(owner)) }?.destroy()
    }

    /// Makes `owner` time its operations into the owner histogram (once per owner).
    func instrument(_ owner: HardwareOwner) {
        let timer = owners.withLock { timers -> Timer? in
            guard timers[ObjectIdentifier(owner)] == nil else { return nil }
            let timer = Timer(label: Name.ownerOperationTime, dimensions: [("owner", owner.name)], factory: factory)
            timers[ObjectIdentifier(owner)] = timer
            return timer
        }
        guard let timer else { return }
        owner.setOperationObserver { duration in timer.recordNanoseconds(duration.totalNanoseconds) }
    }
}
