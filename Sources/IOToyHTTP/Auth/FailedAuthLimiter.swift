import Synchronization

/// Slows down token guessing: after ``limit`` failed authentications from one client address
/// within ``window``, that address is answered 429 for ``blockDuration``.
///
/// Time comes from an injected monotonic `now` (a `Duration` since any fixed start), so tests
/// run in virtual time; the daemon passes, for example,
/// `{ start.duration(to: ContinuousClock.now) }`. Memory is bounded: an address is forgotten
/// once its failures are older than the window and any block has ended, and at most
/// ``capacity`` addresses are tracked, the least recently failing dropped first.
public final class FailedAuthLimiter: Sendable {
    /// Failures within the window that block an address.
    public let limit: Int
    /// How far back failures count.
    public let window: Duration
    /// How long a blocked address is answered 429.
    public let blockDuration: Duration
    /// The most addresses tracked at once.
    public let capacity: Int

    private struct Client {
        /// The times of failures within the window, oldest first.
        var failures: [Duration] = []
        /// Until when the address is blocked, if it is.
        var blockedUntil: Duration?
        /// The time of the latest failure.
        var lastFailure: Duration
    }

    private struct State {
        var clients: [String: Client] = [:]
        var lastSweep: Duration
    }

    private let now: @Sendable () -> Duration
    private let state: Mutex<State>

    public init(
        limit: Int = 10, window: Duration = .seconds(60), blockDuration: Duration = .seconds(60), capacity: Int = 4096,
        now: @escaping @Sendable () -> Duration
    ) {
        self.limit = max(1, limit)
        self.window = window
        self.blockDuration = blockDuration
        self.capacity = max(1, capacity)
        self.now = now
        self.state = Mutex(State(lastSweep: now()))
    }

    /// How long `address` must still wait, or nil when it may be served. Check this before
    /// authenticating; a non-nil answer is a 429 with `Retry-After`.
    public func retryAfter(_ address: String) -> Duration? {
        let now = self.now()
        return state.withLock { state -> Duration? in
            guard let until = state.clients[address]?.blockedUntil, now < until else { return nil }
            return until - now
        }
    }

    /// True when `address` is blocked now.
    public func isBlocked(_ address: String) -> Bool {
        retryAfter(address) != nil
    }

    /// Records a failed authentication (a bad token, a failed login) from `address`; true when
    /// the address is blocked afterwards.
    @discardableResult
    public func recordFailure(_ address: String) -> Bool {
        let now = self.now()
        return state.withLock { state -> Bool in
            if now - state.lastSweep >= window { sweep(&state, now: now) }
            var client: Client
            if let known = state.clients[address] {
                client = known
            } else {
                makeRoom(&state, now: now)
                client = Client(lastFailure: now)
            }
            client.lastFailure = now
            if let until = client.blockedUntil, now < until {
                state.clients[address] = client
                return true
            }
            client.blockedUntil = nil
            client.failures.removeAll { now - $0 >= window }
            client.failures.append(now)
            if client.failures.count >= limit {
                client.blockedUntil = now + blockDuration
                client.failures.removeAll()
            }
            state.clients[address] = client
            return client.blockedUntil != nil
        }
    }

    /// How many addresses are tracked.
    public var trackedAddresses: Int {
        state.withLock { $0.clients.count }
    }

    /// Forgets addresses whose failures are all older than the window and whose block has
    /// ended.
    private func sweep(_ state: inout State, now: Duration) {
        state.clients = state.clients.filter { !isIdle($0.value, now: now) }
        state.lastSweep = now
    }

    /// Makes room for one more address: idle ones go first, then the least recently failing.
    private func makeRoom(_ state: inout State, now: Duration) {
        guard state.clients.count >= capacity else { return }
        sweep(&state, now: now)
        while state.clients.count >= capacity {
            guard let oldest = state.clients.min(by: { $0.value.lastFailure < $1.value.lastFailure })?.key else { return }
            state.clients[oldest] = nil
        }
    }

    private func isIdle(_ client: Client, now: Duration) -> Bool {
        if let until = client.blockedUntil, now < until { return false }
        return now - client.lastFailure >= window
    }
}
