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

    static let knownMethods: Set<String> = ["GET", "HEAD", "PUT", "POST", "OPTIONS", "DELETE", "PATCH"]

    private struct Key: Hashable {
        let method: String
        let status: Int
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Counts one answered request.
    public func record(method rawMethod: String, status: Int, duration: Duration) {
        let method = Self.knownMethods.contains(rawMethod) ? rawMethod : "other"
        let key = Key(method: method, status: status)
        let factory = factory
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: Name.requests, dimensions: [("method", method), ("status", "\(status)")], factory: factory)
            counters[key] = counter
            return counter
        }
        let timer = timers.withLock { timers in
            if let timer = timers[method] { return timer }
            let timer = Timer(label: Name.duration, dimensions: [("method", method)], factory: factory)
            timers[method] = timer
            return timer
        }
        counter.increment()
        timer.recordNanoseconds(duration.totalNanoseconds)
    }
}
