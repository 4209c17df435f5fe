import CoreMetrics
import IOToyCore
import Synchronization

/// The HTTP server's instruments: requests by method and status, and how long answering
/// took by method (to the response head; a stream's events come later). Methods outside
/// HTTP's usual few count as `other`, so a client cannot grow the label set.
public final class HTTPMetrics: Sendable {
    /// The families recorded here.
    public enum Name {
        public static let requests = "iotoyd_http_requests_total"
        public static let duration = "iotoyd_http_request_duration_seconds"
    }

    /// What each family means.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(Name.requests, help: "HTTP requests answered, by method and status."),
        MetricDescription(
            Name.duration, help: "Time from a request's head to its response's head, by method.",
            bucketsSeconds: [0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
    ]

    /// The methods counted by name; the last label, `other`, counts the rest.
    static let methodLabels = ["GET", "HEAD", "PUT", "POST", "OPTIONS", "DELETE", "PATCH", "other"]

    /// A method's and a status's instruments, made on first use. One lock and integer keys:
    /// this is recorded for every request. Status 200, nearly every request's, has a slot per
    /// method rather than a dictionary entry.
    private struct Instruments {
        var succeeded: [Counter?] = Array(repeating: nil, count: HTTPMetrics.methodLabels.count)
        var counters: [Int: Counter] = [:]
        var timers: [Timer?] = Array(repeating: nil, count: HTTPMetrics.methodLabels.count)
    }

    /// One request's two instruments. A struct, not a tuple: the lock's generic closure
    /// returning an optional tuple looked its metadata up at run time on every request
    /// (about 1,000 instructions, callgrind found).
    private struct Recorders {
        let counter: Counter
        let timer: Timer
    }

    private let factory: any MetricsFactory
    private let instruments = Mutex(Instruments())

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Counts one answered request.
    public func record(method rawMethod: String, status: Int, duration: Duration) {
        let labels = Self.methodLabels
        let methodIndex = labels.firstIndex(of: rawMethod) ?? labels.count - 1
        let made = instruments.withLock { instruments -> Recorders? in
            guard let timer = instruments.timers[methodIndex] else { return nil }
            let counter = status == 200 ? instruments.succeeded[methodIndex] : instruments.counters[methodIndex * 1000 + status]
            return counter.map { Recorders(counter: $0, timer: timer) }
        }
        let recorders = made ?? makeInstruments(methodIndex: methodIndex, status: status)
        recorders.counter.increment()
        recorders.timer.recordNanoseconds(duration.totalNanoseconds)
    }

    /// The instruments for a method and status seen for the first time.
    private func makeInstruments(methodIndex: Int, status: Int) -> Recorders {
        let method = Self.methodLabels[methodIndex]
        let factory = factory
        return instruments.withLock { instruments in
            // Statuses are 100...999 (HTTPResponse.Status), so this key is unique per pair.
            let key = methodIndex * 1000 + status
            let counter: Counter
            if let made = status == 200 ? instruments.succeeded[methodIndex] : instruments.counters[key] {
                counter = made
            } else {
                counter = Counter(label: Name.requests, dimensions: [("method", method), ("status", "\(status)")], factory: factory)
                if status == 200 { instruments.succeeded[methodIndex] = counter } else { instruments.counters[key] = counter }
            }
            let timer: Timer
            if let made = instruments.timers[methodIndex] {
                timer = made
            } else {
                timer = Timer(label: Name.duration, dimensions: [("method", method)], factory: factory)
                instruments.timers[methodIndex] = timer
            }
            return Recorders(counter: counter, timer: timer)
        }
    }
}
