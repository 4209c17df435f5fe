import NIOCore
import NIOPosix
import Synchronization

/// Whether the server's event loops are getting through their work, for the service
/// watchdog; never blocks. Each check queues a no-op on every loop that has none waiting; a
/// loop whose no-op has waited longer than the limit is stuck (a blocking call on it, a
/// deadlock).
public final class EventLoopLiveness: Sendable {
    private let loops: [any EventLoop]
    /// Per loop: when its waiting no-op was queued.
    private let queuedAt: Mutex<[Duration?]>

    /// The loops the HTTP server runs on (Hummingbird's default: NIO's singleton group).
    public convenience init() {
        self.init(group: MultiThreadedEventLoopGroup.singleton)
    }

    public init(group: any EventLoopGroup) {
        loops = Array(group.makeIterator())
        queuedAt = Mutex(Array(repeating: nil, count: loops.count))
    }

    /// The number of loops found stuck at `now` (any monotonic time, the same clock each call).
    public func stuckLoops(now: Duration, within limit: Duration) -> Int {
        var stuck = 0
        for (index, loop) in loops.enumerated() {
            let waiting = queuedAt.withLock { $0[index] }
            if let waiting {
                if now - waiting > limit { stuck += 1 }
                continue
            }
            queuedAt.withLock { $0[index] = now }
            loop.execute { [self] in self.queuedAt.withLock { $0[index] = nil } }
        }
        return stuck
    }
}
