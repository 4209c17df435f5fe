import IOToySim
import IOToyDrivers
import IOToyHAL

/// `hc_sr04`: an ultrasonic ranger on a trigger and an echo line of one gpiochip entry.
enum HCSR04Kind {
    static let kind = ComponentKind(
        name: "hc_sr04", summary: "HC-SR04 ultrasonic distance: cm from the echo's edge timestamps (sampled)",
        keys: ["trigger", "echo", "poll_ms", "max_cm", "speed_of_sound"]
    ) { map, context in
        guard let lines = map.linePair(("trigger", "the output to the module's Trig pin"), ("echo", "the input from its Echo pin"),
                                       in: context, kind: "an HC-SR04")
        else { return nil }
        var configuration = HCSR04.Configuration(chip: lines.chip, trigger: LineSelector(lines.first), echo: LineSelector(lines.second))
        var valid = true
        if let field = map.optional("poll_ms") {
            if let milliseconds = field.int(in: 1...3_600_000) {
                if milliseconds >= HCSR04.shortestPollMs {
                    configuration.pollInterval = .milliseconds(milliseconds)
                } else {
                    field.error("an HC-SR04 needs at least \(HCSR04.shortestPollMs) ms between pings (the datasheet's measurement cycle), not \(milliseconds)")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("max_cm") {
            if let centimetres = field.number(in: 10...1000, "cm (an HC-SR04 ranges 2–400 cm)") {
                configuration.maxCm = centimetres
            } else {
                valid = false
            }
        }
        if let field = map.optional("speed_of_sound") {
            if let speed = field.number(in: HCSR04.speedOfSoundRange, "m/s (343 in air at 20 °C)") {
                configuration.speedOfSoundMps = speed
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: lines.claims, owner: .gpioLine(entry: lines.entry, line: lines.second),
            help: "Ultrasonic distance \(lines.entry)/\(lines.first) → \(lines.second)",
            simulated: [
                .gpioLine(hardware: lines.entry, line: lines.first), .gpioLine(hardware: lines.entry, line: lines.second),
                .gpioModel(hardware: lines.entry, model: SimulatedGPIOModel(name: "hc_sr04 \(lines.first) \(lines.second)") { chip in
                    try SimHCSR04(chip: chip, trigger: LineSelector(lines.first), echo: LineSelector(lines.second))
                }),
            ]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return HCSR04(gpio: build.platform.gpio, delay: build.platform.delay, configuration: configuration, consumer: build.consumer)
        }
    }
}

/// Two lines a component holds together: both on one gpiochip entry, so one owner serves them.
struct LinePair {
    let entry: String
    let chip: ChipSelector
    let first: String
    let second: String
    let claims: [Claim]
}

extension Field {
    /// A number in `range`; out of it, an error naming the range and `unit` (`cm (…)`).
    func number(in range: ClosedRange<Double>, _ unit: String) -> Double? {
        guard let value = number() else { return nil }
        guard range.contains(value) else {
            func text(_ number: Double) -> String { number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number) }
            error("\(text(value)) must be in \(text(range.lowerBound))…\(text(range.upperBound)) \(unit)")
            return nil
        }
        return value
    }
}

extension MappingReader {
    /// Reads two line references (`<gpiochip entry>/<line>`) that must name two different
    /// lines of one gpiochip entry; `kind` names the component in errors (`an HC-SR04`).
    func linePair(_ first: (key: String, what: String), _ second: (key: String, what: String),
                  in context: BoardContext, kind: String) -> LinePair? {
        let firstField = required(first.key, "<gpiochip entry>/<line>: \(first.what)")
        let secondField = required(second.key, "<gpiochip entry>/<line>: \(second.what)")
        guard let firstField, let secondField,
              let (firstEntry, firstSpec, firstLine) = firstField.reference(in: context, kinds: ["gpiochip"], what: "line"),
              case .gpiochip(let chip, _) = firstSpec, firstField.lineExists(firstLine, on: firstEntry, firstSpec),
              let (secondEntry, secondSpec, secondLine) = secondField.reference(in: context, kinds: ["gpiochip"], what: "line"),
              secondField.lineExists(secondLine, on: secondEntry, secondSpec)
        else { return nil }
        guard secondEntry == firstEntry else {
            secondField.error("\(first.key) and \(second.key) must be lines of one gpiochip entry (\(firstEntry)): one owner serves both lines of \(kind)")
            return nil
        }
        guard secondLine != firstLine else {
            secondField.error("\(second.key) must be another line than \(first.key) (\(firstEntry)/\(firstLine))")
            return nil
        }
        return LinePair(
            entry: firstEntry, chip: chip, first: firstLine, second: secondLine,
            claims: [firstField.claim(.line(entry: firstEntry, line: firstLine)), secondField.claim(.line(entry: secondEntry, line: secondLine))])
    }
}
