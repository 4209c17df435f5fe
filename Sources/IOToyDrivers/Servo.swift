import IOToyCore
import IOToyHAL
import Synchronization

/// `servo`: a positional hobby servo on any PWM channel (a pwmchip's, a PCA9685's), as a
/// float attribute in degrees. The angle maps linearly onto the pulse width; hard limits are
/// checked before the channel is touched. Its safe state is no pulses (the servo goes limp).
public final class Servo: Component {
    /// What the board file says about the servo.
    public struct Configuration: Sendable, Hashable {
        /// Pulse widths at the two ends of the angle range, in microseconds.
        public var pulseRangeUs: ClosedRange<Double> = 500...2500
        /// The angle range the pulse range covers, in degrees.
        public var angleRange: ClosedRange<Double> = 0...180
        /// The angles the servo may be sent to; the whole angle range when nil.
        public var limits: ClosedRange<Double>?
        /// The angle set at start; the middle of the limits when nil.
        public var initial: Double?
        /// The pulse repetition rate.
        public var frequencyHz: Double = 50
        /// The safe state: this angle (`safe: <angle>`), or limp (no pulses) when nil.
        public var safeAngle: Double?
        public var help = "Servo angle in degrees"

        public init() {}

        /// The limits in force.
        public var effectiveLimits: ClosedRange<Double> { limits ?? angleRange }

        /// The starting angle.
        public var initialAngle: Double {
            initial ?? (effectiveLimits.lowerBound + effectiveLimits.upperBound) / 2
        }

        /// The period in nanoseconds.
        public var periodNs: UInt64 { UInt64((1e9 / frequencyHz).rounded()) }

        /// What is wrong with the configuration, keyed by the offending setting; empty when valid.
        public func problems() -> [(key: String, message: String)] {
            var problems: [(key: String, message: String)] = []
            if !(frequencyHz > 0 && frequencyHz <= 400) {
                problems.append(("frequency_hz", "must be in 0 < f ≤ 400 Hz"))
            } else if pulseRangeUs.upperBound * 1000 >= Double(periodNs) {
                problems.append(("pulse_us", "the longest pulse (\(pulseRangeUs.upperBound) µs) must be shorter than the period (\(Double(periodNs) / 1000) µs)"))
            }
            if pulseRangeUs.lowerBound <= 0 || pulseRangeUs.lowerBound >= pulseRangeUs.upperBound {
                problems.append(("pulse_us", "must be [shortest, longest] with 0 < shortest < longest"))
            }
            if angleRange.lowerBound >= angleRange.upperBound {
                problems.append(("angle", "must be [lowest, highest] with lowest < highest"))
            }
            if let limits, !(angleRange.contains(limits.lowerBound) && angleRange.contains(limits.upperBound)) {
                problems.append(("limits", "[\(limits.lowerBound), \(limits.upperBound)] lies outside the angle range [\(angleRange.lowerBound), \(angleRange.upperBound)]"))
            }
            if let initial, !effectiveLimits.contains(initial) {
                problems.append(("initial", "\(initial) lies outside the limits [\(effectiveLimits.lowerBound), \(effectiveLimits.upperBound)]"))
            }
            if let safeAngle, !effectiveLimits.contains(safeAngle) {
                problems.append(("safe", "\(safeAngle) lies outside the limits [\(effectiveLimits.lowerBound), \(effectiveLimits.upperBound)]"))
            }
            return problems
        }

        /// The pulse width for `angle`, in nanoseconds.
        public func pulseNs(forAngle angle: Double) -> UInt64 {
            let fraction = (angle - angleRange.lowerBound) / (angleRange.upperBound - angleRange.lowerBound)
            let pulseUs = pulseRangeUs.lowerBound + fraction * (pulseRangeUs.upperBound - pulseRangeUs.lowerBound)
            return UInt64((pulseUs * 1000).rounded())
        }
    }

    private let openChannel: @Sendable () throws -> any PWMChannel
    private let configuration: Configuration
    private let state: Mutex<State>

    struct State {
        var channel: (any PWMChannel)?
        var angle: Double
    }

    /// A servo on the channel `openChannel` opens (called at start and on recovery).
    public init(configuration: Configuration, openChannel: @escaping @Sendable () throws -> any PWMChannel) {
        self.configuration = configuration
        self.openChannel = openChannel
        self.state = Mutex(State(channel: nil, angle: configuration.initialAngle))
    }

    public var endpoints: [Endpoint] {
        let limits = configuration.effectiveLimits
        return [Endpoint([], .attribute(AttributeInfo(
            type: .float, help: configuration.help,
            constraints: Constraints(min: limits.lowerBound, max: limits.upperBound, unit: "deg"),
            writable: true)))]
    }

    public func start() throws {
        stop()
        let channel = try openChannel()
        let angle = state.withLock { $0.angle }
        do {
            try channel.apply(pulseState(angle))
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
        .float(state.withLock { $0.angle })
    }

    public func write(_ path: [String], value: Value) throws {
        guard case .float(let angle) = value else { throw ComponentError(.badValue, "expected an angle") }
        let limits = configuration.effectiveLimits
        guard limits.contains(angle) else {
            throw ComponentError(
                .outOfRange, "angle \(angle) is outside the limits [\(limits.lowerBound), \(limits.upperBound)]",
                detail: "min \(limits.lowerBound), max \(limits.upperBound) deg")
        }
        guard let channel = state.withLock({ $0.channel }) else { throw notStarted("servo") }
        try channel.apply(pulseState(angle))
        state.withLock { $0.angle = angle }
    }

    public var isActuator: Bool { true }

    /// Limp (the pulses stop, the horn can be moved by hand), or the `safe:` angle.
    public func enterSafeState() throws {
        guard let channel = state.withLock({ $0.channel }) else { return }
        if let safeAngle = configuration.safeAngle {
            try channel.apply(pulseState(safeAngle))
            state.withLock { $0.angle = safeAngle }
            return
        }
        var limp = pulseState(state.withLock { $0.angle })
        limp.enabled = false
        try channel.apply(limp)
    }

    public func stop() {
        state.withLock { state in
            state.channel?.release()
            state.channel = nil
        }
    }
}
