import IOToyHAL
import IOToySim

extension Board {
    /// Simulated hardware that has everything this board declares: GPIO chips with the
    /// labels and line names it uses (`GPIO17` at offset 17, as on a Pi), I2C buses with a
    /// register-level model at every sensor's and chip's address, pwmchips with their channels,
    /// a simulated IOTOY microcontroller on every serial port a component uses, and the kernel
    /// sensor devices `iio` and `hwmon` entries name.
    public func simulatedHardware() -> SimulatedHardware {
        let hardware = SimulatedHardware()
        addSimulation(to: hardware)
        return hardware
    }

    /// Adds what this board needs and `hardware` lacks (a reload under `--simulate`): chips,
    /// device models and serial devices already there are left as they are, with their state.
    /// A line missing from a chip that exists already is not added (restart to rebuild).
    public func addSimulation(to hardware: SimulatedHardware) {
        let needs = components.flatMap(\.plan.simulated)
        var addedChips: [String: SimGPIOChip] = [:]
        for (index, entry) in self.hardware.enumerated() {
            switch entry.spec {
            case .gpiochip(let selector, let declared):
                let lines = needs.compactMap { need -> String? in
                    if case .gpioLine(entry.name, let line) = need { return line }
                    return nil
                }
                let chip = Board.simulatedChip(selector: selector, index: index, lines: lines, declared: declared)
                guard hardware.gpio.chip(selector) == nil else { continue }
                hardware.gpio.add(chip)
                addedChips[entry.name] = chip
            case .i2c(let bus):
                _ = hardware.i2c.bus(bus)
            case .pca9685(_, let bus, let address, _):
                if hardware.i2c.bus(bus).device(at: address) == nil { hardware.i2c.bus(bus).attach(SimPCA9685(), at: address) }
            case .pwmchip(let chip, let channels):
                if hardware.pwm.chip(chip) == nil { hardware.pwm.add(SimPWMChip(name: chip, channelCount: channels)) }
            case .serial:
                break
            }
        }
        for case .i2cDevice(let bus, let address, let model) in needs {
            if hardware.i2c.bus(bus).device(at: address) == nil { hardware.i2c.bus(bus).attach(model.make(), at: address) }
        }
        for case .kernelSensor(let selector, let channels) in needs where hardware.kernelSensors.device(selector) == nil {
            hardware.kernelSensors.add(SimKernelSensorDevice.typical(selector, alsoOffering: channels))
        }
        for case .serialDevice(let port, let example) in needs {
            if hardware.serial.device(at: port) == nil, let device = SimIOToyDevice.example(named: example) {
                hardware.serial.attach(device, at: port)
            }
        }
        // Line-level models go on chips made now; a chip kept from before keeps its models.
        for case .gpioModel(let entry, let model) in needs {
            if let chip = addedChips[entry], let attached = try? model.attach(chip) { hardware.gpio.keep(attached) }
        }
        for case .serialPeer(let port, let model) in needs where hardware.serial.device(at: port) == nil && hardware.serial.peer(at: port) == nil {
            hardware.serial.attach(model.make(), at: port)
        }
    }

    /// A chip whose lines are known (the board's `lines:`, or a chip iotoyd knows such as a
    /// Pi 4's `pinctrl-bcm2711`) is simulated with exactly those lines; any other chip gets
    /// the lines the board uses, `GPIOn` at offset n as on a Pi.
    static func simulatedChip(selector: ChipSelector, index: Int, lines: [String], declared: [String]? = nil) -> SimGPIOChip {
        let name: String, label: String
        switch selector {
        case .label(let text): (name, label) = ("gpiochip\(index)", text)
        case .name(let text): (name, label) = (text, "iotoyd-sim")
        case .path(let path): (name, label) = (String(path.split(separator: "/").last ?? "gpiochip\(index)"), "iotoyd-sim")
        }
        if let declared {
            return SimGPIOChip(name: name, label: label, lineNames: declared.map { $0.isEmpty ? nil : $0 })
        }
        if case .label(let text) = selector, let table = KnownGPIOChips.lineNames(ofChipLabel: text) {
            var names: [String?] = table.map { $0.isEmpty ? nil : $0 }
            // A name another kernel gives the line (mainline's SDA1 for GPIO2) names it here.
            for line in lines where Int(line) == nil && !names.contains(line) {
                if let offset = KnownGPIOChips.offset(of: line, onChipLabel: text) { names[offset] = line }
            }
            return SimGPIOChip(name: name, label: label, lineNames: names)
        }
        var names = [String?](repeating: nil, count: 32)
        func ensure(_ count: Int) { if names.count < count { names += Array(repeating: nil, count: count - names.count) } }
        for line in lines {
            if let offset = Int(line) {
                ensure(offset + 1)
            } else if line.hasPrefix("GPIO"), let offset = Int(line.dropFirst(4)), offset < 512, !names.contains(line) {
                ensure(offset + 1)
                if names[offset] == nil { names[offset] = line } else if let free = names.firstIndex(of: nil) { names[free] = line }
            } else if !names.contains(line) {
                if let free = names.indices.reversed().first(where: { names[$0] == nil }) { names[free] = line } else { names.append(line) }
            }
        }
        return SimGPIOChip(name: name, label: label, lineNames: names)
    }
}
