import IOToyCore
import IOToyHAL
import Synchronization

/// `servo`: a hobby servo on any PWM channel (a pwmchip's, a PCA9685's). A positional servo is
/// a float attribute in degrees mapped linearly onto the pulse width (inverted and trimmed as
/// configured); a continuous-rotation one is a speed −1…1 around its stop pulse. Limits are
/// checked before the channel is touched. Its safe state is no pulses (limp) or a `safe:` value.
///
/// With `max_speed_dps` the servo slews: it is a directory of `angle` (the commanded target)
/// and `position` (where the pulse is now), and the pulse moves toward the target at most that
/// fast, one step a pulse period, stepped by the dispatcher's timed work.
public final class Servo: Component {
    private let openChannel: @Sendable () throws -> any PWMChannel
    private let configuration: Configuration
    private let state: Mutex<State>

    struct State {
        var channel: (any PWMChannel)?
        /// The commanded angle (or speed).
        var target: Double
        /// Where the pulse is now; equal to the target unless slewing.
        var position: Double
        /// When the slew last stepped (dispatcher time); nil when no slew is under way.
        var lastStep: Duration?
    }

    /// A servo on the channel `openChannel` opens (called at start and on recovery).
    public init(configuration: Configuration, openChannel: @escaping @Sendable () throws -> any PWMChannel) {
        self.configuration = configuration
        self.openChannel = openChannel
        let initial = configuration.initialAngle
        self.state = Mutex(State(channel: nil, target: initial, position: initial))
    }

    private var slews: Bool { configuration.maxSpeedDps != nil }

    public var endpoints: [Endpoint] {
        let limits = configuration.effectiveLimits
        let unit = configuration.continuous ? nil : "deg"
        let constraints = Constraints(min: limits.lowerBound, max: limits.upperBound, unit: unit)
        guard slews else {
            return [Endpoint([], .attribute(AttributeInfo(type: .float, help: configuration.help, constraints: constraints, writable: true)))]
        }
        return [
            Endpoint(["angle"], .attribute(AttributeInfo(type: .float, help: configuration.help + " (the commanded target)", constraints: constraints, writable: true))),
            Endpoint(["position"], .attribute(AttributeInfo(
                type: .float, help: "Where the servo's pulse is now, moving toward the angle at \(configuration.maxSpeedDps ?? 0) °/s",
                constraints: Constraints(unit: "deg"), writable: false))),
        ]
    }

    public func start() throws {
        stop()
        let channel = try openChannel()
        let position = state.withLock { $0.position }
        do {
            try channel.apply(pulseState(position))
        } catch {
            channel.release()
            throw error
        }
        state.withLock { $0.channel = channel }
    }

    private func pulseState(_ angle: Double) -> PWMState {
        PWMState(periodNs: configuration.periodNs, dutyNs: configuration.pulseNs(forAngle: angle), enabled: true)
    }

    public func read(_ path: [String]) throws -> Value {
        .float(state.withLock { path == ["position"] ? $0.position : $0.target })
    }

    public func write(_ path: [String], value: Value) throws {
        guard case .float(let angle) = value else {
            throw ComponentError(.badValue, configuration.continuous ? "expected a speed" : "expected an angle")
        }
        let limits = configuration.effectiveLimits
        guard limits.contains(angle) else {
            let what = configuration.continuous ? "speed" : "angle"
            throw ComponentError(
                .outOfRange, "\(what) \(angle) is outside the limits [\(limits.lowerBound), \(limits.upperBound)]",
                detail: "min \(limits.lowerBound), max \(limits.upperBound)\(configuration.continuous ? "" : " deg")")
        }
        guard let channel = state.withLock({ $0.channel }) else { throw notStarted("servo") }
        if slews {
            state.withLock { $0.target = angle }
            return
        }
        try channel.apply(pulseState(angle))
        state.withLock { $0.target = angle; $0.position = angle }
    }

    public var isActuator: Bool { true }

    public var hasTimedWork: Bool { slews }

    public func nextStep() -> Duration? {
        state.withLock { $0.channel != nil && $0.position != $0.target } ? configuration.slewStep : nil
    }

    /// Moves the pulse toward the target by at most `max_speed_dps` × the time since the last
    /// step. The first step after a command starts the clock; it moves nothing.
    public func advance(to now: Duration) throws -> [ComponentEvent] {
        guard let speed = configuration.maxSpeedDps else { return [] }
        let (channel, from, target, lastStep) = state.withLock { ($0.channel, $0.position, $0.target, $0.lastStep) }
        guard let channel, from != target else {
            state.withLock { $0.lastStep = nil }
            return []
        }
        guard let lastStep else {
            state.withLock { $0.lastStep = now }
            return []
        }
        let seconds = Double((now - lastStep).totalNanoseconds) / 1e9
        let reach = speed * max(seconds, 0)
        let next = abs(target - from) <= reach ? target : from + (target > from ? reach : -reach)
        try channel.apply(pulseState(next))
        state.withLock {
            $0.position = next
            $0.lastStep = next == $0.target ? nil : now
        }
        return [ComponentEvent(path: ["position"], value: .float(next))]
    }

    /// Limp (the pulses stop, the horn can be moved by hand), or the `safe:` value at once;
    /// a slew under way ends where it is.
    public func enterSafeState() throws {
        guard let channel = state.withLock({ $0.channel }) else { return }
        if let safeAngle = configuration.safeAngle {
            try channel.apply(pulseState(safeAngle))
            state.withLock { $0.target = safeAngle; $0.position = safeAngle; $0.lastStep = nil }
            return
        }
        var limp = pulseState(state.withLock { $0.position })
        limp.enabled = false
        try channel.apply(limp)
        state.withLock { $0.target = $0.position; $0.lastStep = nil }
    }

    public func stop() {
        state.withLock { state in
            state.channel?.release()
            state.channel = nil
            state.lastStep = nil
        }
    }
}
