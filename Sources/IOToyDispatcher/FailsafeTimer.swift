import Synchronization

/// One actuator's failsafe deadline on the injected clock: ``arm()`` after every command to it
/// (and on a heartbeat) moves the deadline to now + `interval`; if it passes, `fire` runs once
/// and the timer is disarmed until the next command. Renewals never start a second sleeper:
/// the one sleeping wakes at the old deadline, sees the new one and sleeps again.
final class FailsafeTimer: Sendable {
    let interval: Duration
    private let clock: ElapsedClock
    private let fire: @Sendable () async -> Void
    private let state = Mutex(State())

    struct State {
        var deadline: Duration?
        var sleeping = false
        var task: Task<Void, Never>?
    }

    init(interval: Duration, clock: ElapsedClock, fire: @escaping @Sendable () async -> Void) {
        self.interval = interval
        self.clock = clock
        self.fire = fire
    }

    /// Whether a deadline is running (a command came and neither it nor a failsafe ended it).
    var isArmed: Bool { state.withLock { $0.deadline != nil } }

    /// Starts or renews the deadline.
    func arm() {
        let deadline = clock.now() + interval
        let mustStart = state.withLock { state -> Bool in
            state.deadline = deadline
            guard !state.sleeping else { return false }
            state.sleeping = true
            return true
        }
        if mustStart {
            let task = Task { await self.sleepUntilDeadline() }
            state.withLock { $0.task = task }
        }
    }

    /// Renews the deadline only if one is running (a heartbeat).
    func renew() {
        if isArmed { arm() }
    }

    /// Stops the deadline without firing (the actuator was made safe some other way).
    func disarm() {
        state.withLock { $0.deadline = nil }
    }

    /// Stops for good (shutdown).
    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.deadline = nil
            return state.task
        }
        task?.cancel()
    }

    private func sleepUntilDeadline() async {
        while true {
            guard let deadline = state.withLock({ state -> Duration? in
                if state.deadline == nil { state.sleeping = false }
                return state.deadline
            }) else { return }
            do { try await clock.sleepUntil(deadline) } catch {
                state.withLock { $0.sleeping = false }
                return
            }
            let due = state.withLock { state -> Bool in
                guard state.deadline == deadline else { return false }       // renewed or disarmed meanwhile
                state.deadline = nil
                state.sleeping = false
                return true
            }
            if due {
                await fire()
                return
            }
        }
    }
}
