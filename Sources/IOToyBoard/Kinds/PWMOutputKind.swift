import IOToyDrivers
import IOToyHAL

/// `pwm_out`: a dimmable LED or any PWM load.
enum PWMOutputKind {
    static let kind = ComponentKind(
        name: "pwm_out", summary: "PWM output (dimmable LED, fan): duty 0…1",
        keys: ["pwm", "frequency_hz", "invert", "limits", "initial", "safe", "failsafe_ms"]
    ) { map, context in
        guard let pwmField = map.required("pwm", "<pwmchip or pca9685 entry>/<channel>"),
              let pwm = pwmField.pwmChannel(in: context) else { return nil }
        var configuration = PWMOutput.Configuration()
        var valid = true
        let frequencyField = map.optional("frequency_hz")
        if let field = frequencyField {
            if let value = field.number() { configuration.frequencyHz = value } else { valid = false }
        }
        if let frequency = pwm.frequencyHz(asked: configuration.frequencyHz, field: frequencyField, dutyFractions: true) {
            configuration.frequencyHz = frequency
        } else {
            valid = false
        }
        if let field = map.optional("invert") {
            if let value = field.bool() { configuration.invert = value } else { valid = false }
        }
        if let field = map.optional("limits") {
            if let range = field.pair(in: 0...1) { configuration.limits = range } else { valid = false }
        }
        if let field = map.optional("initial") {
            if let value = field.number() { configuration.initial = value } else { valid = false }
        }
        if let field = map.optional("safe") {
            if let value = field.number() { configuration.safe = value } else { valid = false }
        }
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        if failsafe == .some(.invalid) { valid = false }
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
            return PWMOutput(configuration: configuration, openChannel: pwm.opener(build))
        }
    }
}
