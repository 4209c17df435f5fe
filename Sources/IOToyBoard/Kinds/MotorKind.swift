import IOToyDrivers
import IOToyHAL

/// `motor`: a DC motor through an H-bridge, wired `pwm` + `dir` (+ `standby`) or `in1` + `in2`.
enum MotorKind {
    static let wiringKeys = ["pwm", "dir", "standby", "in1", "in2"]
    static let settingKeys = ["frequency_hz", "invert", "limits", "ramp_per_s", "safe"]

    static let kind = ComponentKind(
        name: "motor", summary: "DC motor on an H-bridge: speed -1…1, brake, coast, optional ramp",
        keys: wiringKeys + settingKeys + ["failsafe_ms"]
    ) { map, context in
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        guard let motor = read(map, context), failsafe != .some(.invalid) else { return nil }
        return ComponentPlan(
            claims: motor.claims, owner: motor.owner, help: "DC motor", simulated: motor.simulated, failsafe: failsafe?.duration
        ) { build, _ in motor.build(build) }
    }

    /// A motor read from a board mapping: its claims, owner, simulated needs and builder.
    struct Plan: Sendable {
        let claims: [Claim]
        let owner: OwnerKey
        let simulated: [SimulatedNeed]
        let configuration: Motor.Configuration
        let build: @Sendable (BuildContext) -> Motor
    }

    /// Reads a motor's wiring and settings (shared by `differential_drive`'s `left` and `right`).
    static func read(_ map: MappingReader, _ context: BoardContext) -> Plan? {
        let present = wiringKeys.filter { map.keys.contains($0) }
        let wiring: Motor.Wiring
        if present.contains("in1") || present.contains("in2") {
            wiring = .twoInputs
            for key in present where key != "in1" && key != "in2" {
                map.optional(key)?.error("'\(key)' belongs to the pwm + dir wiring; a motor is wired either pwm + dir (+ standby) or in1 + in2")
                return nil
            }
        } else {
            wiring = .pwmAndDirection
        }
        var configuration = Motor.Configuration(wiring: wiring)
        var valid = true
        var claims: [Claim] = []
        var simulated: [SimulatedNeed] = []
        let first: PWMChannelReference, second: PWMChannelReference?
        var direction: (@Sendable (BuildContext, UInt64) -> SwitchedOutputSource)?
        var standby: (@Sendable (BuildContext, UInt64) -> SwitchedOutputSource)?
        switch wiring {
        case .twoInputs:
            guard let in1 = map.required("in1", "<pwmchip or pca9685 entry>/<channel> driving IN1")?.pwmChannel(in: context),
                  let in2 = map.required("in2", "<pwmchip or pca9685 entry>/<channel> driving IN2")?.pwmChannel(in: context)
            else { return nil }
            guard in1.owner == in2.owner else {
                map.optional("in2")?.error("in1 and in2 must be channels of one chip (\(in1.entry)), so one owner drives both")
                return nil
            }
            (first, second) = (in1, in2)
            claims = [in1.claim, in2.claim]
        case .pwmAndDirection:
            guard let pwm = map.required("pwm", "<pwmchip or pca9685 entry>/<channel> driving the speed input")?.pwmChannel(in: context),
                  let dir = map.required("dir", "<gpiochip entry>/<line> or a PWM channel driving the direction input")?.switchedOutput(in: context)
            else { return nil }
            (first, second) = (pwm, nil)
            claims = [pwm.claim, dir.claim]
            simulated += dir.simulated
            direction = dir.source
            if let field = map.optional("standby") {
                guard let output = field.switchedOutput(in: context) else { return nil }
                claims.append(output.claim)
                simulated += output.simulated
                standby = output.source
            }
        }
        let frequencyField = map.optional("frequency_hz")
        if let field = frequencyField {
            if let value = field.number() { configuration.frequencyHz = value } else { valid = false }
        }
        if let frequency = first.frequencyHz(asked: configuration.frequencyHz, field: frequencyField, dutyFractions: true) {
            configuration.frequencyHz = frequency
        } else {
            valid = false
        }
        if let field = map.optional("invert") {
            if let value = field.bool() { configuration.invert = value } else { valid = false }
        }
        if let field = map.optional("limits") {
            if let range = field.pair(in: -1...1) { configuration.limits = range } else { valid = false }
        }
        if let field = map.optional("ramp_per_s") {
            if let value = field.number() { configuration.rampPerS = value } else { valid = false }
        }
        if let field = map.optional("safe") {
            if let value = field.choice(Motor.Stop.self, Motor.Stop.allCases) { configuration.safe = value } else { valid = false }
        }
        for problem in configuration.problems() {
            (map.optional(problem.key) ?? map.field).error(problem.message)
            valid = false
        }
        guard valid else { return nil }
        let frozen = configuration
        let (directionSource, standbySource) = (direction, standby)
        return Plan(claims: claims, owner: first.owner, simulated: simulated, configuration: frozen) { build in
            let period = frozen.periodNs
            let inputs = Motor.Inputs(
                first: first.opener(build), second: second?.opener(build),
                direction: directionSource?(build, period), standby: standbySource?(build, period))
            return Motor(configuration: frozen, inputs: inputs)
        }
    }
}
