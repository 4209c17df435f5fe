import IOToyDrivers
import IOToyHAL

/// `encoder`: a quadrature encoder on lines `a` and `b` of one gpiochip entry.
enum EncoderKind {
    static let kind = ComponentKind(
        name: "encoder", summary: "quadrature encoder: x4 count (PUT 0 resets), rate, revolutions and rpm from edges",
        keys: ["a", "b", "bias", "invert", "counts_per_rev", "rate_window_ms"]
    ) { map, context in
        guard let lines = map.linePair(("a", "the encoder's A (channel 1) output"), ("b", "its B (channel 2) output"),
                                       in: context, kind: "an encoder")
        else { return nil }
        var configuration = Encoder.Configuration(chip: lines.chip, a: LineSelector(lines.first), b: LineSelector(lines.second))
        var valid = true
        if let field = map.optional("bias") {
            if let bias = field.choice(LineBias.self, LineBias.allCases) { configuration.bias = bias } else { valid = false }
        }
        if let field = map.optional("invert") {
            if let invert = field.bool() { configuration.invert = invert } else { valid = false }
        }
        if let field = map.optional("counts_per_rev") {
            if let counts = field.positiveNumber(upTo: 10_000_000) { configuration.countsPerRevolution = counts } else { valid = false }
        }
        if let field = map.optional("rate_window_ms") {
            if let milliseconds = field.int(in: 10...10_000) { configuration.rateWindow = .milliseconds(milliseconds) } else { valid = false }
        }
        guard valid else { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: lines.claims, owner: .gpioLine(entry: lines.entry, line: lines.first),
            help: "Quadrature encoder \(lines.entry)/\(lines.first), \(lines.second)",
            simulated: [.gpioLine(hardware: lines.entry, line: lines.first), .gpioLine(hardware: lines.entry, line: lines.second)]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return Encoder(gpio: build.platform.gpio, configuration: configuration, consumer: build.consumer)
        }
    }
}
