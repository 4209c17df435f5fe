import IOToyDrivers
import IOToyHAL

/// `gpio_out` and `gpio_in`.
enum GPIOKinds {
    static let output = ComponentKind(
        name: "gpio_out", summary: "digital output (LED, relay): bool, toggle",
        keys: ["line", "active_low", "drive", "initial", "safe", "failsafe_ms"]
    ) { map, context in
        guard let lineField = map.required("line", "<gpiochip entry>/<line name or offset>"),
              let (chipName, spec, line) = lineField.reference(in: context, kinds: ["gpiochip"], what: "line"),
              case .gpiochip(let chip, _) = spec, lineField.lineExists(line, on: chipName, spec) else { return nil }
        var configuration = GPIOOutput.Configuration(chip: chip, line: LineSelector(line))
        if let value = map.optional("active_low")?.bool() { configuration.activeLow = value }
        if let value = map.optional("drive")?.choice(LineDrive.self, LineDrive.allCases) { configuration.drive = value }
        if let value = map.optional("initial")?.bool() { configuration.initial = value }
        if let value = map.optional("safe")?.bool() { configuration.safe = value }
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        if failsafe == .some(.invalid) { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: [lineField.claim(.line(entry: chipName, line: line))], owner: .gpioChip(entry: chipName),
            help: "Digital output \(chipName)/\(line)", simulated: [.gpioLine(hardware: chipName, line: line)],
            failsafe: failsafe?.duration
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return GPIOOutput(gpio: build.platform.gpio, configuration: configuration, consumer: build.consumer)
        }
    }

    static let input = ComponentKind(
        name: "gpio_in", summary: "digital input (button, bumper): bool, edges to the change feed",
        keys: ["line", "bias", "active_low", "edge", "debounce_ms"]
    ) { map, context in
        guard let lineField = map.required("line", "<gpiochip entry>/<line name or offset>"),
              let (chipName, spec, line) = lineField.reference(in: context, kinds: ["gpiochip"], what: "line"),
              case .gpiochip(let chip, _) = spec, lineField.lineExists(line, on: chipName, spec) else { return nil }
        var configuration = GPIOInput.Configuration(chip: chip, line: LineSelector(line))
        if let value = map.optional("bias")?.choice(LineBias.self, LineBias.allCases) { configuration.bias = value }
        if let value = map.optional("active_low")?.bool() { configuration.activeLow = value }
        if let value = map.optional("edge")?.choice(LineEdge.self, LineEdge.allCases) { configuration.edge = value }
        if let value = map.optional("debounce_ms")?.int(in: 0...1000) {
            configuration.debounce = value == 0 ? nil : .milliseconds(value)
        }
        let frozen = configuration
        let owner: OwnerKey = frozen.edge == .none ? .gpioChip(entry: chipName) : .gpioLine(entry: chipName, line: line)
        return ComponentPlan(
            claims: [lineField.claim(.line(entry: chipName, line: line))], owner: owner,
            help: "Digital input \(chipName)/\(line)", simulated: [.gpioLine(hardware: chipName, line: line)]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return GPIOInput(gpio: build.platform.gpio, configuration: configuration, consumer: build.consumer)
        }
    }
}
