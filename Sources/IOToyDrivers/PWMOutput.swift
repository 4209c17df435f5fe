import IOToyCore
import IOToyHAL
import Synchronization

/// `pwm_out`: a dimmable LED or any PWM load as a float attribute `duty` 0…1 (limits may
/// narrow it), at `frequency_hz`, optionally inverted (the pin's duty is 1 − duty: an LED
/// wired to the supply). Its safe state is the `safe` duty, 0 by default.
public final class PWMOutput: Component {
    /// What the board file says about the output.
    public struct Configuration: Sendable, Hashable {
        public var frequencyHz: Double = 1000
        public var invert = false
        /// The duties the output may be set to; 0…1 when nil.
        public var limits: ClosedRange<Double>?
        public var initial: Double = 0
        public var safe: Double = 0
        public var help = "PWM output duty, 0 (off) to 1 (fully on)"

        public init() {}

        /// The limits in force.
        public var effectiveLimits: ClosedRange<Double> { limits ?? 0...1 }

        /// The period in nanoseconds.
        public var periodNs: UInt64 { UInt64((1e9 / frequencyHz).rounded()) }

        /// What is wrong, keyed by the offending setting; empty when valid.
        public func problems() -> [(key: String, message: String)] {
            var problems: [(key: String, message: String)] = []
            if !(frequencyHz >= 1 && frequencyHz <= 1_000_000) {
                problems.append(("frequency_hz", "must be in 1…1000000 Hz"))
            }
            if let limits, limits.lowerBound < 0 || limits.upperBound > 1 {
                problems.append(("limits", "[\(limits.lowerBound), \(limits.upperBound)] lies outside the duty range [0, 1]"))
            }
            if !effectiveLimits.contains(initial) {
                problems.append(("initial", "\(initial) lies outside the limits [\(effectiveLimits.lowerBound), \(effectiveLimits.upperBound)]"))
            }
            if !(0...1).contains(safe) {
                problems.append(("safe", "\(safe) lies outside the duty range [0, 1]"))
            }
            return problems
        }

        /// The channel state for `duty`, inverted as configured.
        public func state(forDuty duty: Double) -> PWMState {
            let pin = invert ? 1 - duty : duty
            return PWMState(periodNs: periodNs, dutyNs: UInt64((Double(periodNs) * pin).rounded()), enabled: true)
        }
    }

    private let configuration: Configuration
    private let openChannel: @Sendable () throws -> any PWMChannel
    private let state: Mutex<(channel: (any PWMChannel)?, duty: Double)>

    public init(configuration: Configuration, openChannel: @escaping @Sendable () throws -> any PWMChannel) {
        self.configuration = configuration
        self.openChannel = openChannel
        state = Mutex((nil, configuration.initial))
    }

    public var endpoints: [Endpoint] {
        let limits = configuration.effectiveLimits
        return [Endpoint([], .attribute(AttributeInfo(
            type: .float, help: configuration.help, constraints: Constraints(min: limits.lowerBound, max: limits.upperBound),
            writable: true)))]
    }

    public func start() throws {
        stop()
        let channel = try openChannel()
        do {
            try channel.apply(configuration.state(forDuty: state.withLock { $0.duty }))
        } catch {
            channel.release()
            throw error
        }
        state.withLock { $0.channel = channel }
    }

    public func read(_ path: [String]) throws -> Value { .float(state.withLock { $0.duty }) }

    public func write(_ path: [String], value: Value) throws {
        guard case .float(let duty) = value else { throw ComponentError(.badValue, "expected a duty 0…1") }
        let limits = configuration.effectiveLimits
        guard limits.contains(duty) else {
            throw ComponentError(.outOfRange, "duty \(duty) is outside the limits [\(limits.lowerBound), \(limits.upperBound)]",
                                 detail: "min \(limits.lowerBound), max \(limits.upperBound)")
        }
        guard let channel = state.withLock({ $0.channel }) else { throw notStarted("pwm output") }
        try channel.apply(configuration.state(forDuty: duty))
        state.withLock { $0.duty = duty }
    }

    public var isActuator: Bool { true }

    public func enterSafeState() throws {
        guard let channel = state.withLock({ $0.channel }) else { return }
        try channel.apply(configuration.state(forDuty: configuration.safe))
        state.withLock { $0.duty = configuration.safe }
    }

    public func stop() {
        state.withLock { state in
            state.channel?.release()
            state.channel = nil
        }
    }
}
