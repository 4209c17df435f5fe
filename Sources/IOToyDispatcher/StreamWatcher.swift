import DequeModule
import IOToyCore
import Synchronization

/// One client watching a part of the tree: a bounded queue of shared frames, filled by the
/// ``EventJournal`` without ever waiting, and emptied by the connection that writes them.
///
/// - A watcher that does not keep up loses its oldest frames, and is told how many with a
///   `dropped` frame before the next one; the daemon's memory does not grow.
/// - With a rate (`?rate_ms=N`), a value event for a resource that had one less than N ago
///   waits, and a newer one for the same resource replaces it: the latest value wins.
/// - When nothing happens for ``keepAliveInterval`` a keep-alive comment is due.
public final class StreamWatcher: Sendable {
    /// What the connection writes next.
    public enum Delivery: Sendable, Equatable {
        case frame([UInt8])
        case keepAlive
        /// The stream is over (shutdown, reload of the server, or the watcher was removed).
        case finished
    }

    /// The part of the tree watched: this path and everything below it.
    public let path: ResourcePath
    /// At most one value event per resource per this long; nil for every event.
    public let rate: Duration?
    public let keepAliveInterval: Duration
    let capacity: Int
    let clock: ElapsedClock
    private let state: Mutex<State>

    struct State {
        var queue: Deque<StreamFrame> = []
        var dropped = 0
        /// Value frames held back by the rate, by resource.
        var pending: [ResourcePath: StreamFrame] = [:]
        var lastSent: [ResourcePath: Duration] = [:]
        var lastActivity: Duration
        var waiter: CheckedContinuation<Void, Never>?
        /// When the one timer running for this watcher fires, if one is running.
        var timerDeadline: Duration?
        var finished = false
    }

    init(path: ResourcePath, rate: Duration?, capacity: Int, keepAlive: Duration, clock: ElapsedClock, initial: [StreamFrame]) {
        self.path = path
        self.rate = rate
        self.capacity = capacity
        self.keepAliveInterval = keepAlive
        self.clock = clock
        var state = State(lastActivity: clock.now())
        state.queue.append(contentsOf: initial)
        self.state = Mutex(state)
    }

    /// Whether a frame about `path` concerns this watcher.
    func wants(_ framePath: ResourcePath) -> Bool { framePath.hasPrefix(path) }

    /// Queues a frame; never waits. The oldest frame makes room when the queue is full.
    /// Returns false when a frame was dropped for it.
    @discardableResult
    func offer(_ frame: StreamFrame) -> Bool {
        let (waiter, kept) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool) in
            guard !state.finished else { return (nil, true) }
            state.queue.append(frame)
            var kept = true
            while state.queue.count > capacity {
                state.queue.removeFirst()
                state.dropped += 1
                kept = false
            }
            defer { state.waiter = nil }
            return (state.waiter, kept)
        }
        waiter?.resume()
        return kept
    }

    /// Ends the stream: the connection's next ``next()`` returns `.finished`.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The number of frames waiting (for tests and metrics).
    public var queuedCount: Int { state.withLock { $0.queue.count } }

    private enum Step {
        case deliver(Delivery)
        case wait(until: Duration)
    }

    /// The next thing to write: a frame, a keep-alive comment when idle, or the end.
    public func next() async -> Delivery {
        while true {
            let step = state.withLock { state -> Step in
                let now = clock.now()
                if state.finished { return .deliver(.finished) }
                if state.dropped > 0 {
                    defer { state.dropped = 0 }
                    state.lastActivity = now
                    return .deliver(.frame(StreamFrame.dropped(state.dropped).bytes))
                }
                while let frame = state.queue.popFirst() {
                    if let rate, frame.coalescible, let last = state.lastSent[frame.path], now - last < rate {
                        state.pending[frame.path] = frame          // the latest value wins
                        continue
                    }
                    if rate != nil, frame.coalescible {
                        state.lastSent[frame.path] = now
                        state.pending[frame.path] = nil
                    }
                    state.lastActivity = now
                    return .deliver(.frame(frame.bytes))
                }
                if let rate, let due = state.pending.min(by: { state.lastSent[$0.key, default: .zero] < state.lastSent[$1.key, default: .zero] }) {
                    let dueAt = state.lastSent[due.key, default: .zero] + rate
                    if dueAt <= now {
                        state.pending[due.key] = nil
                        state.lastSent[due.key] = now
                        state.lastActivity = now
                        return .deliver(.frame(due.value.bytes))
                    }
                    return .wait(until: min(dueAt, state.lastActivity + keepAliveInterval))
                }
                if now - state.lastActivity >= keepAliveInterval {
                    state.lastActivity = now
                    return .deliver(.keepAlive)
                }
                return .wait(until: state.lastActivity + keepAliveInterval)
            }
            switch step {
            case .deliver(let delivery): return delivery
            case .wait(let deadline): await wait(until: deadline)
            }
        }
    }

    /// Sleeps until `deadline` on the clock or until a frame is offered, whichever is first.
    ///
    /// One timer per watcher at a time, started only when none is due by `deadline`: a timer
    /// per wait, cancelled when a frame came first, kept every cancelled sleep's memory until its
    /// deadline (15 s later) in the concurrency runtime, and under a stream of events 50
    /// watchers grew the daemon by 340 MB in 20 s (the soak found it). An earlier timer that
    /// fires wakes the watcher early; ``next()`` then finds nothing due and waits again.
    private func wait(until deadline: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (waiting, startTimer) = state.withLock { state -> (Bool, Bool) in
                guard !state.finished, state.queue.isEmpty, state.dropped == 0 else { return (false, false) }
                state.waiter = continuation
                if let running = state.timerDeadline, running <= deadline { return (true, false) }
                state.timerDeadline = deadline
                return (true, true)
            }
            guard waiting else {
                continuation.resume()
                return
            }
            if startTimer {
                let clock = self.clock
                Task { [weak self] in
                    try? await clock.sleepUntil(deadline)
                    self?.timerFired(deadline)
                }
            }
        }
    }

    private func timerFired(_ deadline: Duration) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.timerDeadline == deadline { state.timerDeadline = nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

/// A clock read as time elapsed since a start, so any `Clock<Duration>` (the continuous
/// clock, or a test's manual clock) can be stored and compared without its instant type.
struct ElapsedClock: Sendable {
    let now: @Sendable () -> Duration
    let sleepUntil: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        now = { start.duration(to: clock.now) }
        sleepUntil = { offset in try await clock.sleep(until: start.advanced(by: offset), tolerance: nil) }
    }
}
