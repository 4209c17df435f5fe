import IOToyCore
import IOToyDrivers
import Logging
import Synchronization

/// The safety state of a dispatcher: the emergency-stop latch and each actuator's failsafe
/// timer (made at its first command).
final class SafetyState: Sendable {
    struct State {
        var stopped = false
        var timers: [ObjectIdentifier: FailsafeTimer] = [:]
        var closed = false
    }

    let state = Mutex(State())
}

extension Dispatcher {
    /// After a command (PUT or POST) to `mount` went through: start or renew its failsafe
    /// deadline, when it has one.
    func commanded(_ mount: Mount) {
        mount.wakeTimedWork()
        guard let interval = mount.failsafe else { return }
        let clock = ElapsedClock(self.clock)
        let timer = safety.state.withLock { state -> FailsafeTimer? in
            guard !state.closed else { return nil }
            if let timer = state.timers[ObjectIdentifier(mount)] { return timer }
            let timer = FailsafeTimer(interval: interval, clock: clock) { [weak self] in
                await self?.failsafeExpired(mount)
            }
            state.timers[ObjectIdentifier(mount)] = timer
            return timer
        }
        timer?.arm()
    }

    /// A command to an actuator is refused (409) after an emergency stop, until `/_resume`.
    func checkNotStopped(_ mount: Mount) throws(IOToyError) {
        guard mount.component.isActuator, safety.state.withLock({ $0.stopped }) else { return }
        throw IOToyError(
            .conflict, code: "emergency_stop",
            message: "\(mount.path) is stopped: an emergency stop is in force until POST /_resume")
    }

    /// The deadline passed with no command and no heartbeat: the actuator goes to its safe
    /// state on its owner, and the feed and the log say so.
    func failsafeExpired(_ mount: Mount) async {
        let component = mount.component
        let milliseconds = mount.failsafe.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 0
        let reason = "no command or heartbeat within \(milliseconds) ms"
        do {
            try await mount.owner.perform { try component.enterSafeState() }
            mount.wakeTimedWork()
            metrics.component(mount).failsafeTrips.increment()
            logger.warning("failsafe: actuator put into its safe state", metadata: ["path": "\(mount.path)", "reason": "\(reason)"])
            changes.publish(.failsafe, path: mount.path, value: nil, detail: reason, timestamp: wallClock())
        } catch {
            logger.error("failsafe: the safe state failed", metadata: ["path": "\(mount.path)", "error": "\(error)"])
            fault(mount, error)
        }
    }

    /// `POST /_heartbeat`: renews every running failsafe deadline. Answers the actuators whose
    /// deadline runs.
    public func heartbeat() -> [ResourcePath] {
        let running = safety.state.withLock { state in
            tree.mounts.compactMap { mount -> (ResourcePath, FailsafeTimer)? in
                guard let timer = state.timers[ObjectIdentifier(mount)], timer.isArmed else { return nil }
                return (mount.path, timer)
            }
        }
        for (_, timer) in running { timer.renew() }
        return running.map(\.0)
    }

    /// `POST /_safe`: the emergency stop. Every actuator goes to its safe state, each on its
    /// owner, and commands to actuators are refused (409) until ``resume()``. Answers when done,
    /// with each actuator and the error of any that could not be made safe.
    public func emergencyStop() async -> [(path: ResourcePath, error: String?)] {
        let timers = safety.state.withLock { state in
            state.stopped = true
            return Array(state.timers.values)
        }
        for timer in timers { timer.disarm() }
        var results: [(path: ResourcePath, error: String?)] = []
        for mount in tree.mounts where mount.component.isActuator {
            let component = mount.component
            do {
                try await mount.owner.perform { try component.enterSafeState() }
                mount.wakeTimedWork()
                changes.publish(.failsafe, path: mount.path, value: nil, detail: "emergency stop", timestamp: wallClock())
                results.append((mount.path, nil))
            } catch {
                results.append((mount.path, "\(IOToyError(mapping: error))"))
            }
        }
        logger.warning("emergency stop: every actuator in its safe state", metadata: ["actuators": "\(results.count)"])
        return results
    }

    /// `POST /_resume`: lifts the emergency stop; actuators take commands again (each stays in
    /// its safe state until commanded).
    public func resume() {
        safety.state.withLock { $0.stopped = false }
        logger.notice("emergency stop lifted")
    }

    /// Whether an emergency stop is in force.
    public var isStopped: Bool { safety.state.withLock { $0.stopped } }

    /// Stops every failsafe timer (shutdown: the safe states are applied anyway).
    func closeSafety() {
        let timers = safety.state.withLock { state in
            state.closed = true
            return Array(state.timers.values)
        }
        for timer in timers { timer.cancel() }
    }
}
