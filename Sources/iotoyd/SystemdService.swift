import IOToyDispatcher
import IOToyHTTP
import IOToySystemd
import Logging
import ServiceLifecycle

/// Talks to systemd when it runs the daemon (`Type=notify`): `READY=1` once the port is bound
/// and every component has had its first start, `STOPPING=1` when shutdown begins, and, with
/// `WatchdogSec=`, `WATCHDOG=1` every third of the interval, but only while every event loop
/// and every hardware owner takes a no-op within that third. A hung owner thread or a
/// blocked event loop stops the pings, so systemd restarts a daemon that looks alive and is
/// not. Does nothing outside systemd.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let watchdog: WatchdogSettings?
    let boundPorts: AsyncStream<Int>
    let dispatcher: Dispatcher
    let eventLoops: EventLoopLiveness
    let logger: Logger

    func run() async throws {
        // A service that returns ends the group: without systemd, it only waits for shutdown.
        guard notifier.isActive else { try? await gracefulShutdown(); return }
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                var ports = boundPorts.makeAsyncIterator()
                guard let port = await ports.next() else { return }
                await dispatcher.waitUntilStarted()
                guard !Task.isCancelled else { return }
                notify { () throws(SystemdError) in try notifier.ready(status: "serving \(dispatcher.tree.mounts.count) components on port \(port)") }
                if let watchdog { await keepWatchdogFed(watchdog) }
            }
            try? await gracefulShutdown()
        } onGracefulShutdown: {
            notify { () throws(SystemdError) in try notifier.stopping() }
        }
    }

    func keepWatchdogFed(_ watchdog: WatchdogSettings) async {
        let start = ContinuousClock.now
        var wasHealthy = true
        while !Task.isCancelled {
            do { try await Task.sleep(for: watchdog.pingInterval) } catch { return }
            let now = ContinuousClock.now - start
            let hungOwners = dispatcher.unresponsiveOwners(now: now, within: watchdog.pingInterval)
            let stuckLoops = eventLoops.stuckLoops(now: now, within: watchdog.pingInterval)
            if hungOwners.isEmpty, stuckLoops == 0 {
                if !wasHealthy { logger.notice("watchdog: every owner and event loop answers again") }
                wasHealthy = true
                notify { () throws(SystemdError) in try notifier.watchdog() }
            } else if wasHealthy {
                wasHealthy = false
                logger.critical(
                    "watchdog: not answering; systemd restarts the daemon unless this clears",
                    metadata: ["owners": "\(hungOwners.joined(separator: ", "))", "event_loops": "\(stuckLoops)"])
            }
        }
    }

    private func notify(_ send: () throws(SystemdError) -> Void) {
        do { try send() } catch { logger.warning("systemd notification failed: \(error)") }
    }
}
