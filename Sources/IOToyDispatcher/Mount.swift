import IOToyCore
import IOToyDrivers
import IOToyHAL
import Synchronization

/// A component placed in the tree: where it is mounted, which owner runs its operations,
/// and whether it is healthy.
public final class Mount: Sendable {
    /// The health of a mounted component.
    public enum Health: Sendable, Equatable {
        case starting
        case ready
        /// Faulted since `since` (wall-clock seconds) for `reason`; retried with back-off.
        case faulted(reason: String, since: Double)
    }

    public let path: ResourcePath
    /// The component kind, e.g. `servo`, for logs and `iotoyd check`.
    public let kind: String
    public let component: any Component
    public let owner: HardwareOwner
    /// Help for the directory a multi-resource component (a BME280) becomes.
    public let help: String
    /// An actuator's failsafe deadline (`failsafe_ms`): with no new command to it and no
    /// heartbeat for this long after a command, it goes to its safe state. Nil: none.
    public let failsafe: Duration?
    private let health = Mutex(Health.starting)
    private let faults: AsyncStream<Void>.Continuation
    let faultSignals: AsyncStream<Void>
    /// The running timed-work loop's wake-ups (see ``Component/hasTimedWork``); a new stream
    /// for every loop, as a stream whose reader is cancelled stays finished.
    private let timedWork = Mutex<AsyncStream<Void>.Continuation?>(nil)

    public init(
        path: ResourcePath, kind: String, component: any Component, owner: HardwareOwner, help: String = "", failsafe: Duration? = nil
    ) {
        self.failsafe = failsafe
        self.path = path
        self.help = help
        self.kind = kind
        self.component = component
        self.owner = owner
        (faultSignals, faults) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The current health.
    public var currentHealth: Health { health.withLock { $0 } }

    func setHealth(_ new: Health) {
        health.withLock { $0 = new }
    }

    /// Marks the component faulted and wakes its supervisor. Returns false when it already was.
    @discardableResult
    func reportFault(_ reason: String, at time: Double) -> Bool {
        let changed = health.withLock { health -> Bool in
            if case .faulted = health { return false }
            health = .faulted(reason: reason, since: time)
            return true
        }
        if changed { faults.yield() }
        return changed
    }

    /// Asks the timed-work loop to step now: a command may have started, changed or ended a
    /// slew, a ramp or a pulse. Never blocks.
    func wakeTimedWork() {
        _ = timedWork.withLock { $0?.yield() }
    }

    /// Wake-ups for a new timed-work loop (replacing any earlier loop's).
    func makeTimedWorkSignals() -> AsyncStream<Void> {
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        timedWork.withLock { $0 = continuation }
        return signals
    }

    /// The path of an endpoint of this mount.
    func resourcePath(_ relative: [String]) -> ResourcePath {
        path.appending(try! ResourcePath(relative))   // endpoint paths were validated when the tree was built
    }
}
