import IOToyHAL

/// The sysfs writes that take a PWM channel from one state to another without ever asking
/// the kernel for something it refuses: duty never above period at any moment, polarity only
/// while disabled, enable only once a period is set.
enum PWMWritePlan {
    /// One write: `value` into the channel's attribute file `file`.
    struct Step: Sendable, Hashable, CustomStringConvertible {
        let file: String
        let value: String

        var description: String { "\(file)=\(value)" }
    }

    /// The writes, in order. Unchanged attributes are not written.
    static func steps(from current: PWMState, to target: PWMState) -> [Step] {
        var steps: [Step] = []
        var enabled = current.enabled
        if enabled, !target.enabled || target.polarity != current.polarity {
            steps.append(Step(file: "enable", value: "0"))
            enabled = false
        }
        let period = Step(file: "period", value: String(target.periodNs))
        let duty = Step(file: "duty_cycle", value: String(target.dutyNs))
        let periodChanges = target.periodNs != current.periodNs
        let dutyChanges = target.dutyNs != current.dutyNs
        if target.dutyNs > current.periodNs {
            // The new duty does not fit the old period: grow the period first.
            if periodChanges { steps.append(period) }
            if dutyChanges { steps.append(duty) }
        } else {
            // The new duty fits the old period: set it first, so a shorter period still holds it.
            if dutyChanges { steps.append(duty) }
            if periodChanges { steps.append(period) }
        }
        if target.polarity != current.polarity {
            steps.append(Step(file: "polarity", value: target.polarity.rawValue))
        }
        if target.enabled, !enabled {
            steps.append(Step(file: "enable", value: "1"))
        }
        return steps
    }
}
