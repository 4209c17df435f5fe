extension Motor {
    /// How the H-bridge is driven.
    public enum Wiring: String, Sendable, Hashable {
        /// One PWM input for the speed and a direction line (TB6612FNG with IN2 inverted, DRV8838
        /// PH/EN, Cytron MD10C), optionally a standby line (TB6612FNG STBY) that lets it coast.
        case pwmAndDirection = "pwm_dir"
        /// Two PWM inputs, one per direction (DRV8833, L298N without its enable): both low
        /// coasts, both high brakes.
        case twoInputs = "in1_in2"
    }

    /// What the motor does in its safe state and when stopped.
    public enum Stop: String, Sendable, Hashable, CaseIterable {
        /// The bridge lets go: the wheel spins down freely.
        case coast
        /// The bridge shorts the motor: the wheel stops hard.
        case brake
    }

    /// What the board file says about the motor.
    public struct Configuration: Sendable, Hashable {
        public var wiring: Wiring
        /// The PWM period all the motor's PWM inputs run at.
        public var frequencyHz: Double = 20_000
        /// Swaps forward and reverse (a motor mounted the other way round).
        public var invert = false
        /// The speeds it may be set to; −1…1 when nil.
        public var limits: ClosedRange<Double>?
        /// How fast the applied speed may change, in full scale per second; 0 for at once.
        public var rampPerS: Double = 0
        /// The safe state (also the state at start).
        public var safe: Stop = .coast
        public var help = "DC motor"

        public init(wiring: Wiring) {
            self.wiring = wiring
        }

        /// The limits in force.
        public var effectiveLimits: ClosedRange<Double> { limits ?? -1...1 }

        /// The period in nanoseconds.
        public var periodNs: UInt64 { UInt64((1e9 / frequencyHz).rounded()) }

        /// The time between two ramp steps.
        public static let rampStep: Duration = .milliseconds(20)

        /// What is wrong, keyed by the offending setting; empty when valid.
        public func problems() -> [(key: String, message: String)] {
            var problems: [(key: String, message: String)] = []
            if !(frequencyHz >= 1 && frequencyHz <= 100_000) {
                problems.append(("frequency_hz", "must be in 1…100000 Hz"))
            }
            if let limits, limits.lowerBound < -1 || limits.upperBound > 1 || limits.lowerBound > 0 || limits.upperBound < 0 {
                problems.append(("limits", "[\(limits.lowerBound), \(limits.upperBound)] must lie within [-1, 1] and include 0 (stopped)"))
            }
            if !(rampPerS >= 0 && rampPerS <= 1000) {
                problems.append(("ramp_per_s", "must be in 0…1000 (full scale per second; 0 for no ramp)"))
            }
            return problems
        }
    }
}
