import IOToyDispatcher
import Logging
import ServiceLifecycle

/// Logs every change-feed event at debug level (`--log-level debug`): samples, sets, calls,
/// faults, and edges with the kernel's timestamp. A way to watch the feed on a robot until
/// it is served over HTTP.
struct ChangeLogService: Service {
    let changes: ChangeFeed
    let logger: Logger

    func run() async throws {
        let stream = changes.subscribe()
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
