extension Servo {
    /// What the board file says about the servo.
    public struct Configuration: Sendable, Hashable {
        /// Pulse widths at the two ends of the angle range, in microseconds.
        public var pulseRangeUs: ClosedRange<Double> = 500...2500
        /// The angle range the pulse range covers, in degrees.
        public var angleRange: ClosedRange<Double> = 0...180
        /// The angles the servo may be sent to (or, continuous, the speeds); the whole range when nil.
        public var limits: ClosedRange<Double>?
        /// The angle (or speed) set at start; the middle of the limits (or stopped) when nil.
        public var initial: Double?
        /// The pulse repetition rate.
        public var frequencyHz: Double = 50
        /// The safe state: this angle (or speed), or limp (no pulses) when nil.
        public var safeAngle: Double?
        /// Slew: how fast the horn moves toward a new angle, in degrees per second; nil for at once.
        public var maxSpeedDps: Double?
        /// Added to every angle before it becomes a pulse: corrects a horn mounted a few teeth off.
        public var trimDeg: Double = 0
        /// Mirrors the angle range (a servo mounted the other way round), or the direction of a
        /// continuous servo.
        public var invert = false
        /// A continuous-rotation servo: the attribute is a speed −1…1 around ``stopPulseUs``.
        public var continuous = false
        /// The pulse at which a continuous servo stands still; the middle of the pulse range when nil.
        public var stopUs: Double?
        public var help = "Servo angle in degrees"

        public init() {}

        /// The range of the attribute: degrees, or −1…1 for a continuous servo.
        public var valueRange: ClosedRange<Double> { continuous ? -1...1 : angleRange }

        /// The limits in force.
        public var effectiveLimits: ClosedRange<Double> { limits ?? valueRange }

        /// The starting angle or speed.
        public var initialAngle: Double {
            if let initial { return initial }
            if continuous { return 0 }
            return (effectiveLimits.lowerBound + effectiveLimits.upperBound) / 2
        }

        /// The pulse at which a continuous servo stands still, in microseconds.
        public var stopPulseUs: Double { stopUs ?? (pulseRangeUs.lowerBound + pulseRangeUs.upperBound) / 2 }

        /// The period in nanoseconds.
        public var periodNs: UInt64 { UInt64((1e9 / frequencyHz).rounded()) }

        /// The time between two slew steps: one pulse period, and at least 10 ms.
        public var slewStep: Duration { max(.nanoseconds(Int64(periodNs)), .milliseconds(10)) }

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
            let what = continuous ? "the speed range" : "the angle range"
            if let limits, !(valueRange.contains(limits.lowerBound) && valueRange.contains(limits.upperBound)) {
                problems.append(("limits", "[\(limits.lowerBound), \(limits.upperBound)] lies outside \(what) [\(valueRange.lowerBound), \(valueRange.upperBound)]"))
            }
            if let initial, !effectiveLimits.contains(initial) {
                problems.append(("initial", "\(initial) lies outside the limits [\(effectiveLimits.lowerBound), \(effectiveLimits.upperBound)]"))
            }
            if let safeAngle, !effectiveLimits.contains(safeAngle) {
                problems.append(("safe", "\(safeAngle) lies outside the limits [\(effectiveLimits.lowerBound), \(effectiveLimits.upperBound)]"))
            }
            if let maxSpeedDps, !(maxSpeedDps > 0 && maxSpeedDps <= 10_000) {
                problems.append(("max_speed_dps", "must be in 0 < speed ≤ 10000 °/s"))
            }
            if continuous, maxSpeedDps != nil {
                problems.append(("max_speed_dps", "a continuous servo has a speed, not an angle to slew to"))
            }
            if continuous, trimDeg != 0 {
                problems.append(("trim_deg", "a continuous servo is trimmed with stop_us, not trim_deg"))
            }
            if !(-45...45).contains(trimDeg) {
                problems.append(("trim_deg", "must be within ±45°"))
            }
            if let stopUs {
                if !continuous {
                    problems.append(("stop_us", "only a continuous servo (continuous: true) has a stop pulse"))
                } else if !(pulseRangeUs.lowerBound < stopUs && stopUs < pulseRangeUs.upperBound) {
                    problems.append(("stop_us", "\(stopUs) µs lies outside the pulse range (\(pulseRangeUs.lowerBound), \(pulseRangeUs.upperBound)) µs"))
                }
            }
            return problems
        }

        /// The pulse width for an angle (or a continuous servo's speed), in nanoseconds: inverted
        /// and trimmed as configured, and never outside the pulse range.
        public func pulseNs(forAngle value: Double) -> UInt64 {
            let pulseUs: Double
            if continuous {
                let speed = invert ? -value : value
                let stop = stopPulseUs
                pulseUs = speed >= 0 ? stop + speed * (pulseRangeUs.upperBound - stop) : stop + speed * (stop - pulseRangeUs.lowerBound)
            } else {
                let angle = (invert ? angleRange.lowerBound + angleRange.upperBound - value : value) + trimDeg
                let fraction = (angle - angleRange.lowerBound) / (angleRange.upperBound - angleRange.lowerBound)
                pulseUs = pulseRangeUs.lowerBound + fraction * (pulseRangeUs.upperBound - pulseRangeUs.lowerBound)
            }
            let clamped = min(max(pulseUs, pulseRangeUs.lowerBound), pulseRangeUs.upperBound)
            return UInt64((clamped * 1000).rounded())
        }
    }
}
