import IOToyDrivers
import IOToyHAL

/// `servo`: positional or continuous, on a pwmchip channel or a PCA9685 channel.
enum ServoKind {
    static let kind = ComponentKind(
        name: "servo", summary: "hobby servo: angle in degrees (or a continuous one's speed) with hard limits, optional slew",
        keys: [
            "pwm", "pulse_us", "angle", "limits", "initial", "frequency_hz", "safe", "failsafe_ms", "max_speed_dps", "trim_deg",
            "invert", "continuous", "stop_us",
        ]
    ) { map, context in
        guard let pwmField = map.required("pwm", "<pwmchip or pca9685 entry>/<channel>"),
              let pwm = pwmField.pwmChannel(in: context) else { return nil }
        var configuration = Servo.Configuration()
        var valid = true
        if let field = map.optional("continuous") {
            if let value = field.bool() { configuration.continuous = value } else { valid = false }
        }
        if configuration.continuous { configuration.help = "Continuous servo speed, -1 (full reverse) to 1 (full forward)" }
        if let field = map.optional("invert") {
            if let value = field.bool() { configuration.invert = value } else { valid = false }
        }
        if let field = map.optional("max_speed_dps") {
            if let value = field.number() { configuration.maxSpeedDps = value } else { valid = false }
        }
        if let field = map.optional("trim_deg") {
            if let value = field.number() { configuration.trimDeg = value } else { valid = false }
        }
        if let field = map.optional("stop_us") {
            if let value = field.number() { configuration.stopUs = value } else { valid = false }
        }
        if let field = map.optional("pulse_us") {
            if let range = field.pair(in: 1...100_000) { configuration.pulseRangeUs = range } else { valid = false }
        }
        if let field = map.optional("angle") {
            if let range = field.pair(in: -360...360) { configuration.angleRange = range } else { valid = false }
        }
        if let field = map.optional("limits") {
            if let range = field.pair(in: -360...360) { configuration.limits = range } else { valid = false }
        }
        if let field = map.optional("initial") {
            if let value = field.number() { configuration.initial = value } else { valid = false }
        }
        if let field = map.optional("safe") {
            if field.node.scalar?.string == "limp" { configuration.safeAngle = nil }
            else if let value = field.number() { configuration.safeAngle = value } else { valid = false }
        }
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        if failsafe == .some(.invalid) { valid = false }
        let frequencyField = map.optional("frequency_hz")
        if let field = frequencyField {
            if let value = field.number() { configuration.frequencyHz = value } else { valid = false }
        }
        if let frequency = pwm.frequencyHz(asked: configuration.frequencyHz, field: frequencyField, dutyFractions: false) {
            configuration.frequencyHz = frequency
        } else {
            valid = false
        }
        for problem in configuration.problems() {
            (map.optional(problem.key) ?? map.field).error(problem.message)
            valid = false
        }
        guard valid else { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: [pwm.claim], owner: pwm.owner, help: nil, simulated: [], failsafe: failsafe?.duration
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return Servo(configuration: configuration, openChannel: pwm.opener(build))
        }
    }
}
