import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP (`systemctl reload iotoyd`) re-reads the board file. Trapped even without one (the
/// demo, `serve --serial`), where it is only logged, so that a stray SIGHUP never ends the
/// daemon.
struct HangupReload: Service {
    let reloader: BoardReloader?
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            let signals = await UnixSignalsSequence(trapping: .sighup)
            for await _ in signals {
                if let reloader {
                    _ = await reloader.reload()
                } else {
                    logger.notice("SIGHUP: there is no board file to reload")
                }
            }
        }
    }
}
