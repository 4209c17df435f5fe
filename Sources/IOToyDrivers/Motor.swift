import IOToyCore
import IOToyHAL
import Synchronization

/// `motor`: a DC motor through an H-bridge, as a directory: `speed` −1…1 (the commanded
/// target; limits may narrow it), `applied_speed` (what the bridge is driven at now), and the
/// functions `brake` and `coast`. With `ramp_per_s` the applied speed approaches the target at
/// most that fast, stepped by the dispatcher's timed work; brake, coast and the safe state act
/// at once. When the direction changes, the PWM goes to 0 before the direction input flips.
public final class Motor: Component {
    /// How to open the motor's inputs at start (the board file's references decide).
    public struct Inputs: Sendable {
        /// The speed PWM (`pwm_dir`) or IN1 (`in1_in2`).
        public var first: @Sendable () throws -> any PWMChannel
        /// IN2 (`in1_in2` only).
        public var second: (@Sendable () throws -> any PWMChannel)?
        /// The direction input (`pwm_dir` only): on is forward.
        public var direction: SwitchedOutputSource?
        /// The standby input (optional): off lets the bridge go (coast).
        public var standby: SwitchedOutputSource?

        public init(
            first: @escaping @Sendable () throws -> any PWMChannel, second: (@Sendable () throws -> any PWMChannel)? = nil,
            direction: SwitchedOutputSource? = nil, standby: SwitchedOutputSource? = nil
        ) {
            self.first = first
            self.second = second
            self.direction = direction
            self.standby = standby
        }
    }

    struct Opened {
        let first: any PWMChannel
        let second: (any PWMChannel)?
        let direction: (any SwitchedOutput)?
        let standby: (any SwitchedOutput)?

        func release() {
            first.release()
            second?.release()
            direction?.release()
            standby?.release()
        }
    }

    struct State {
        var opened: Opened?
        var target: Double = 0
        var applied: Double = 0
        /// The direction input's last setting, so it flips only when it must.
        var forward: Bool?
        var lastStep: Duration?
    }

    let configuration: Configuration
    private let inputs: Inputs
    let state = Mutex(State())

    public init(configuration: Configuration, inputs: Inputs) {
        self.configuration = configuration
        self.inputs = inputs
    }

    public var endpoints: [Endpoint] {
        let limits = configuration.effectiveLimits
        return [
            Endpoint(["speed"], .attribute(AttributeInfo(
                type: .float, help: "Commanded speed, -1 (full reverse) to 1 (full forward)",
                constraints: Constraints(min: limits.lowerBound, max: limits.upperBound), writable: true))),
            Endpoint(["applied_speed"], .attribute(AttributeInfo(
                type: .float, help: configuration.rampPerS > 0
                    ? "Speed the bridge is driven at now, approaching the commanded speed at \(configuration.rampPerS) per second"
                    : "Speed the bridge is driven at now",
                writable: false))),
            Endpoint(["brake"], .function(FunctionInfo(spec: FunctionSpec(), help: "Stop hard: the bridge shorts the motor"))),
            Endpoint(["coast"], .function(FunctionInfo(spec: FunctionSpec(), help: "Let go: the motor spins down freely"))),
        ]
    }

    public func start() throws {
        stop()
        var opened: [any Sendable] = []
        do {
            let first = try inputs.first()
            opened.append(first)
            let second = try inputs.second?()
            if let second { opened.append(second) }
            let direction = try inputs.direction?.open()
            if let direction { opened.append(direction) }
            let standby = try inputs.standby?.open()
            let hardware = Opened(first: first, second: second, direction: direction, standby: standby)
            do { try halt(hardware, configuration.safe) } catch {
                hardware.release()
                throw error
            }
            state.withLock { $0 = State(opened: hardware) }
        } catch {
            for case let channel as any PWMChannel in opened { channel.release() }
            for case let output as any SwitchedOutput in opened { output.release() }
            throw error
        }
    }

    public func read(_ path: [String]) throws -> Value {
        .float(state.withLock { path == ["applied_speed"] ? $0.applied : $0.target })
    }

    public func write(_ path: [String], value: Value) throws {
        guard path == ["speed"] else { throw ComponentError(.readOnly, "applied_speed follows speed; set speed") }
        guard case .float(let speed) = value else { throw ComponentError(.badValue, "expected a speed -1…1") }
        let limits = configuration.effectiveLimits
        guard limits.contains(speed) else {
            throw ComponentError(.outOfRange, "speed \(speed) is outside the limits [\(limits.lowerBound), \(limits.upperBound)]",
                                 detail: "min \(limits.lowerBound), max \(limits.upperBound)")
        }
        try setSpeed(speed)
    }

    /// Sets the target (checked against the limits by the caller); applies it at once unless
    /// the motor ramps.
    func setSpeed(_ speed: Double) throws {
        guard let hardware = state.withLock({ $0.opened }) else { throw notStarted("motor") }
        if configuration.rampPerS > 0 {
            state.withLock { $0.target = speed }
            return
        }
        try drive(hardware, speed)
        state.withLock { $0.target = speed; $0.applied = speed }
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        let stop: Stop
        switch path {
        case ["brake"]: stop = .brake
        case ["coast"]: stop = .coast
        default: throw ComponentError(.noSuchResource, "no such function")
        }
        try halt(stop)
        return nil
    }

    /// Brakes or coasts at once, ending any ramp.
    func halt(_ stop: Stop) throws {
        guard let hardware = state.withLock({ $0.opened }) else { throw notStarted("motor") }
        try halt(hardware, stop)
        state.withLock { $0.target = 0; $0.applied = 0; $0.lastStep = nil }
    }

    public var isActuator: Bool { true }

    /// Coasts, or brakes with `safe: brake`, at once.
    public func enterSafeState() throws {
        guard state.withLock({ $0.opened }) != nil else { return }
        try halt(configuration.safe)
    }

    public func stop() {
        state.withLock { state in
            state.opened?.release()
            state = State()
        }
    }
}
