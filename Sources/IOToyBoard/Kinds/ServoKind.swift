import IOToyDrivers
import IOToyHAL

/// `servo`: on a pwmchip channel or a PCA9685 channel.
enum ServoKind {
    static let kind = ComponentKind(
        name: "servo", summary: "positional servo: angle in degrees with hard limits",
        keys: ["pwm", "pulse_us", "angle", "limits", "initial", "frequency_hz", "safe", "failsafe_ms"]
    ) { map, context in
        guard let pwmField = map.required("pwm", "<pwmchip or pca9685 entry>/<channel>"),
              let (chipName, spec, channelText) = pwmField.reference(in: context, kinds: ["pwmchip", "pca9685"], what: "channel")
        else { return nil }
        var configuration = Servo.Configuration()
        var valid = true
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
        let owner: OwnerKey
        let channelLimit: Int
        switch spec {
        case .pwmchip(_, let channels):
            owner = .pwmChip(entry: chipName)
            channelLimit = channels
        case .pca9685(_, let bus, _, let chipFrequency):
            owner = .i2cBus(bus)
            channelLimit = PCA9685.channelCount
            if let frequencyField, configuration.frequencyHz != chipFrequency {
                frequencyField.error("\(configuration.frequencyHz) Hz differs from \(chipName)'s frequency_hz \(chipFrequency); all channels of a PCA9685 share one frequency")
                valid = false
            }
            configuration.frequencyHz = chipFrequency
        default:
            return nil
        }
        guard let channel = Int(channelText), (0..<channelLimit).contains(channel) else {
            pwmField.error("channel '\(channelText)' of \(chipName) must be 0…\(channelLimit - 1)")
            return nil
        }
        for problem in configuration.problems() {
            (map.optional(problem.key) ?? map.field).error(problem.message)
            valid = false
        }
        guard valid else { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: [pwmField.claim(.pwmChannel(entry: chipName, channel: channel))], owner: owner, help: nil, simulated: [],
            failsafe: failsafe?.duration
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return Servo(configuration: configuration) {
                if let chip = build.chips.pca9685(named: chipName, spec: spec, platform: build.platform) {
                    return try chip.openChannel(channel)
                }
                guard case .pwmchip(let chip, _) = spec else {
                    throw HardwareError(.unsupported, operation: "open channel", device: chipName)
                }
                return try build.platform.pwm.openChannel(chip: chip, channel: channel)
            }
        }
    }
}
