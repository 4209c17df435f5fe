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
    /// this is recorded for every request.
    private struct Instruments {
        var counters: [Int: Counter] = [:]
        var timers: [Timer?] = Array(repeating: nil, count: HTTPMetrics.methodLabels.count)
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
        let method = labels[methodIndex]
        let factory = factory
        let (counter, timer) = instruments.withLock { instruments in
            // Statuses are 100...999 (HTTPResponse.Status), so this key is unique per pair.
            let key = methodIndex * 1000 + status
            let counter: Counter
            if let made = instruments.counters[key] {
                counter = made
            } else {
                counter = Counter(label: Name.requests, dimensions: [("method", method), ("status", "\(status)")], factory: factory)
                instruments.counters[key] = counter
            }
            let timer: Timer
            if let made = instruments.timers[methodIndex] {
                timer = made
            } else {
                timer = Timer(label: Name.duration, dimensions: [("method", method)], factory: factory)
                instruments.timers[methodIndex] = timer
            }
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.totalNanoseconds)
    }
}
