import IOToyDispatcher
import Logging
import ServiceLifecycle

/// `serve --serial`: logs each time the device at the root answers (first start, and after
/// every reconnection) with the name it gave itself, which is when its resources are served.
struct DeviceAnnouncement: Service {
    let dispatcher: Dispatcher
    /// Subscribed when made, before the dispatcher runs, so the first answer is not missed.
    let events: AsyncStream<ChangeEvent>
    let logger: Logger

    init(dispatcher: Dispatcher, logger: Logger) {
        self.dispatcher = dispatcher
        self.events = dispatcher.changes.subscribe()
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in events where event.path == .root && (event.kind == .started || event.kind == .recovered) {
                logger.notice("device answered", metadata: ["device": "\(dispatcher.tree.device)"])
            }
        }
    }
}
