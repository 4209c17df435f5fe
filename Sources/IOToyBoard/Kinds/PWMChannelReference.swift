import IOToyDrivers
import IOToyHAL

/// A PWM channel a board file names (`pwm/0` on a pwmchip, `hat/3` on a PCA9685), checked
/// against `hardware:`: the entry, the channel, the owner its operations run on.
struct PWMChannelReference: Sendable {
    let entry: String
    let spec: HardwareSpec
    let channel: Int
    let claim: Claim

    /// The owner of the channel's chip: the pwmchip's, or the PCA9685's I2C bus.
    var owner: OwnerKey {
        if case .pca9685(_, let bus, _, _) = spec { return .i2cBus(bus) }
        return .pwmChip(entry: entry)
    }

    /// The frequency every channel of the chip shares (a PCA9685's), nil when each channel
    /// sets its own.
    var sharedFrequencyHz: Double? {
        if case .pca9685(_, _, _, let frequency) = spec { return frequency }
        return nil
    }

    /// The period the chip really runs at when its channels share one (a PCA9685's prescaler
    /// rounds `frequency_hz`), in nanoseconds: what a duty fraction must be taken of.
    var sharedPeriodNs: UInt64? {
        guard case .pca9685(_, let bus, _, let frequency) = spec else { return nil }
        var chip = PCA9685.Configuration(bus: bus)
        chip.frequencyHz = frequency
        return UInt64(chip.periodNs.rounded())
    }

    /// The frequency a component on this channel runs at: what the board asked, or on a
    /// PCA9685 the chip's own (asking for another there is an error at `field`: nil).
    /// `dutyFractions`: the component sets duty fractions, taken of the period the prescaler
    /// really gives (1000 Hz is 983 µs), not of the one asked for.
    func frequencyHz(asked: Double, field: Field?, dutyFractions: Bool) -> Double? {
        guard let chipFrequency = sharedFrequencyHz else { return asked }
        if let field, asked != chipFrequency {
            field.error("\(asked) Hz differs from \(entry)'s frequency_hz \(chipFrequency); all channels of a PCA9685 share one frequency")
            return nil
        }
        guard dutyFractions, let period = sharedPeriodNs else { return chipFrequency }
        return 1e9 / Double(period)
    }

    /// What opens the channel at start (and again on recovery).
    func opener(_ build: BuildContext) -> @Sendable () throws -> any PWMChannel {
        let entry = entry, spec = spec, channel = channel
        return {
            if let chip = build.chips.pca9685(named: entry, spec: spec, platform: build.platform) {
                return try chip.openChannel(channel)
            }
            guard case .pwmchip(let chip, _) = spec else {
                throw HardwareError(.unsupported, operation: "open channel", device: entry)
            }
            return try build.platform.pwm.openChannel(chip: chip, channel: channel)
        }
    }
}

extension Field {
    /// Reads `<pwmchip or pca9685 entry>/<channel>`; errors are reported here.
    func pwmChannel(in context: BoardContext) -> PWMChannelReference? {
        guard let (name, spec, channelText) = reference(in: context, kinds: ["pwmchip", "pca9685"], what: "channel") else { return nil }
        let channelLimit: Int
        switch spec {
        case .pwmchip(_, let channels): channelLimit = channels
        case .pca9685: channelLimit = PCA9685.channelCount
        default: return nil
        }
        guard let channel = Int(channelText), (0..<channelLimit).contains(channel) else {
            error("channel '\(channelText)' of \(name) must be 0…\(channelLimit - 1)")
            return nil
        }
        return PWMChannelReference(entry: name, spec: spec, channel: channel, claim: claim(.pwmChannel(entry: name, channel: channel)))
    }

    /// Reads an on/off input of a larger device: a GPIO line (`gpio/GPIO5`) or a PWM channel
    /// held at 0 % or 100 % (`hat/2`). Answers its claim, what `--simulate` needs, and how to
    /// open it at `periodNs` (used by a PWM channel; the PCA9685's own period wins there).
    func switchedOutput(in context: BoardContext)
        -> (claim: Claim, simulated: [SimulatedNeed], source: @Sendable (BuildContext, UInt64) -> SwitchedOutputSource)?
    {
        guard let text = string() else { return nil }
        let entryName = String(text.split(separator: "/", maxSplits: 1).first ?? "")
        if case .gpiochip? = context.hardware[entryName] {
            guard let (name, spec, line) = reference(in: context, kinds: ["gpiochip"], what: "line"),
                  case .gpiochip(let chip, _) = spec, lineExists(line, on: name, spec) else { return nil }
            return (claim(.line(entry: name, line: line)), [.gpioLine(hardware: name, line: line)], { build, _ in
                .line(gpio: build.platform.gpio, chip: chip, line: LineSelector(line), consumer: build.consumer)
            })
        }
        guard reference(in: context, kinds: ["gpiochip", "pwmchip", "pca9685"], what: "line or channel") != nil,
              let pwm = pwmChannel(in: context) else { return nil }
        return (pwm.claim, [], { build, periodNs in
            let period = pwm.sharedPeriodNs ?? periodNs
            return .pwm(periodNs: period, open: pwm.opener(build))
        })
    }
}
