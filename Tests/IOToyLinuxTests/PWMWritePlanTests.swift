import IOToyHAL
import Testing
@testable import IOToyLinux

/// The order of sysfs writes keeps duty ≤ period at every moment and enables only with a period.
@Suite struct PWMWritePlanTests {
    /// Replays the steps on a model of the kernel's checks and returns the first refusal.
    func refusal(from current: PWMState, steps: [PWMWritePlan.Step]) -> String? {
        var state = current
        for step in steps {
            switch step.file {
            case "period":
                let period = UInt64(step.value)!
                if period < state.dutyNs { return "period \(period) below duty \(state.dutyNs)" }
                state.periodNs = period
            case "duty_cycle":
                let duty = UInt64(step.value)!
                if duty > state.periodNs { return "duty \(duty) above period \(state.periodNs)" }
                state.dutyNs = duty
            case "enable":
                if step.value == "1", state.periodNs == 0 { return "enable without a period" }
                state.enabled = step.value == "1"
            case "polarity":
                if state.enabled { return "polarity while enabled" }
                state.polarity = PWMPolarity(rawValue: step.value)!
            default:
                return "unknown file \(step.file)"
            }
        }
        return nil
    }

    static let states: [PWMState] = [
        .off,
        PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true),
        PWMState(periodNs: 20_000_000, dutyNs: 2_500_000, enabled: false),
        PWMState(periodNs: 1_000_000, dutyNs: 900_000, enabled: true),
        PWMState(periodNs: 1_000_000, dutyNs: 0, enabled: true, polarity: .inversed),
        PWMState(periodNs: 3_000_000, dutyNs: 3_000_000, enabled: false, polarity: .inversed),
    ]

    @Test(arguments: states, states)
    func everyTransitionIsAcceptedAndReachesTheTarget(from: PWMState, to: PWMState) {
        let steps = PWMWritePlan.steps(from: from, to: to)
        #expect(refusal(from: from, steps: steps) == nil, "\(from) → \(to): \(steps)")
        var reached = from
        for step in steps {
            switch step.file {
            case "period": reached.periodNs = UInt64(step.value)!
            case "duty_cycle": reached.dutyNs = UInt64(step.value)!
            case "enable": reached.enabled = step.value == "1"
            default: reached.polarity = PWMPolarity(rawValue: step.value)!
            }
        }
        #expect(reached == to)
    }

    @Test func aServoFromOffSetsPeriodThenDutyThenEnables() {
        let steps = PWMWritePlan.steps(from: .off, to: PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true))
        #expect(steps.map(\.description) == ["period=20000000", "duty_cycle=1500000", "enable=1"])
    }

    @Test func shorteningThePeriodBelowTheOldDutyLowersTheDutyFirst() {
        let from = PWMState(periodNs: 20_000_000, dutyNs: 2_000_000, enabled: true)
        let steps = PWMWritePlan.steps(from: from, to: PWMState(periodNs: 1_000_000, dutyNs: 500_000, enabled: true))
        #expect(steps.map(\.description) == ["duty_cycle=500000", "period=1000000"])
    }

    @Test func unchangedStateWritesNothing() {
        let state = PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true)
        #expect(PWMWritePlan.steps(from: state, to: state).isEmpty)
    }
}
