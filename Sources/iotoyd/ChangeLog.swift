import IOToyDispatcher
import Logging
import ServiceLifecycle

/// Logs every change-feed event at debug level (`--log-level debug`): samples, sets, calls,
/// faults, and edges with the kernel's timestamp. A way to watch the feed on a robot until
/// it is served over HTTP.
struct ChangeLogService: Service {
    /// Subscribed when the service is made, before any service runs: the dispatcher's first
    /// events (`started` for each component) come before this service's `run` would begin,
    /// and a log that misses them says a component never started.
    let stream: AsyncStream<ChangeEvent>
    let logger: Logger

    init(changes: ChangeFeed, logger: Logger) {
        stream = changes.subscribe()
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in stream {
                var text = "change #\(event.sequence) \(event.kind.rawValue) \(event.path)"
                if let value = event.value { text += " = \(value.compactDescription)" }
                if let detail = event.detail { text += " (\(detail))" }
                if let hardware = event.hardwareTimestampNs { text += " hardware_ns=\(hardware)" }
                logger.debug("\(text)")
            }
        }
    }
}
