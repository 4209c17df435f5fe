import Foundation
import Synchronization

/// The one owner of a bus, chip or port: a dedicated thread that runs that hardware's
/// operations one at a time, so blocking syscalls never run on an event loop or on Swift's
/// cooperative pool, and multi-step transactions are never interleaved.
///
/// An owner may also have an idle task (an edge watcher's bounded wait) that runs whenever
/// no operation is queued.
public final class HardwareOwner: Sendable {
    public let name: String
    private let condition = NSConditionBox()
    private let state = Mutex(State())
    /// When the liveness probe still waiting for this owner was queued (see ``isResponsive(now:within:)``).
    private let probeQueuedAt = Mutex<Duration?>(nil)
    /// Told how long each operation took (the metrics' owner histogram); nil: not timed.
    /// Boxed in a struct: a bare closure in a `Mutex`, read back with `withLock { $0 }`, came out
    /// wrapped in one more reabstraction thunk on every read, so each operation was slower than
    /// the last (a servo PUT load fell from 4,690 to 910 requests/s in ten seconds; the benchmark
    /// suite found it).
    private let operationObserver = Mutex<OperationObserver?>(nil)

    private struct OperationObserver: Sendable {
        let observe: @Sendable (Duration) -> Void
    }

    struct State {
        var jobs: [@Sendable () -> Void] = []
        var idle: (@Sendable () -> Void)?
        /// Ends a running idle task early (a job was queued).
        var interruptIdle: (@Sendable () -> Void)?
        var idleRunning = false
        var stopping = false
        var started = false
    }

    public init(name: String) {
        self.name = name
    }

    /// Runs `body` on the owner's thread and returns its result.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = enqueue {
                continuation.resume(with: Result { try body() })
            }
            if !accepted {
                continuation.resume(throwing: OwnerStoppedError(owner: name))
            }
        }
    }

    /// Sets (or clears) the task run whenever the queue is empty. It must return within a
    /// bounded time (e.g. wait at most 50 ms for edges) so queued operations are not starved.
    /// `interrupt`, called from the thread that queues an operation while the idle task runs,
    /// makes it return at once (a serial port's wait ends when a request arrives).
    public func setIdleTask(_ task: (@Sendable () -> Void)?, interrupt: (@Sendable () -> Void)? = nil) {
        state.withLock {
            $0.idle = task
            $0.interruptIdle = task == nil ? nil : interrupt
        }
        condition.broadcast()
    }

    /// Whether the owner's thread is alive and getting through its queue, for the service
    /// watchdog; never blocks. Queues a no-op probe when none is waiting; false when one has
    /// waited longer than `limit` (the thread hangs in a syscall, or one operation never ends).
    /// `now` is any monotonic time, the same clock on every call. A stopped owner counts as
    /// responsive.
    public func isResponsive(now: Duration, within limit: Duration) -> Bool {
        let queuedAt = probeQueuedAt.withLock { $0 }
        if let queuedAt { return now - queuedAt <= limit }
        probeQueuedAt.withLock { $0 = now }
        let accepted = enqueue { [self] in self.probeQueuedAt.withLock { $0 = nil } }
        if !accepted { probeQueuedAt.withLock { $0 = nil } }
        return true
    }

    /// Operations queued and not yet started, for `/metrics`.
    public var queueDepth: Int { state.withLock { $0.jobs.count } }

    /// Sets (or clears) what is told the duration of every operation once it ends.
    public func setOperationObserver(_ observer: (@Sendable (Duration) -> Void)?) {
        operationObserver.withLock { $0 = observer.map(OperationObserver.init) }
    }

    /// Finishes queued operations, then ends the thread. Later operations throw.
    public func shutdown() {
        state.withLock { $0.stopping = true }
        condition.broadcast()
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, mustStart, interrupt) = state.withLock { state -> (Bool, Bool, (@Sendable () -> Void)?) in
            guard !state.stopping else { return (false, false, nil) }
            state.jobs.append(job)
            defer { state.started = true }
            return (true, !state.started, state.idleRunning ? state.interruptIdle : nil)
        }
        if mustStart { startThread() }
        interrupt?()
        condition.broadcast()
        return accepted
    }

    private func startThread() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "owner:\(name)"
        thread.start()
    }

    private func loop() {
        while true {
            let next: (job: (@Sendable () -> Void)?, idle: (@Sendable () -> Void)?, done: Bool) = state.withLock { state in
                state.idleRunning = false
                if !state.jobs.isEmpty { return (state.jobs.removeFirst(), nil, false) }
                if state.stopping { return (nil, nil, true) }
                state.idleRunning = state.idle != nil
                return (nil, state.idle, false)
            }
            if next.done { return }
            if let job = next.job {
                if let observer = operationObserver.withLock({ $0 }) {
                    let started = ContinuousClock.now
                    job()
                    observer.observe(started.duration(to: .now))
                } else {
                    job()
                }
            } else if let idle = next.idle {
                idle()
            } else {
                condition.wait { self.state.withLock { !$0.jobs.isEmpty || $0.stopping || $0.idle != nil } }
            }
        }
    }
}

/// An operation was sent to an owner that has shut down.
public struct OwnerStoppedError: Error, Sendable, CustomStringConvertible {
    public let owner: String
    public var description: String { "\(owner) is shut down" }
}

/// A condition variable used only to wake an owner's thread.
final class NSConditionBox: @unchecked Sendable {
    private let condition = NSCondition()

    func broadcast() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `ready` is true, re-checking after every wake-up.
    func wait(until ready: () -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        while !ready() { condition.wait() }
    }
}
