import IOToyHAL
import IOToyLinux

/// The text `iotoyd probe` prints, with the board-file line each thing would need.
enum ProbeListing {
    static func render(_ report: ProbeReport) -> String {
        var lines = ["GPIO chips (\(report.gpioLibrary))"]
        if report.gpioChips.isEmpty { lines.append("  none") }
        for chip in report.gpioChips {
            if let error = chip.error {
                lines.append("  \(chip.path): \(error)")
                continue
            }
            lines.append("  \(chip.name) [\(chip.label)] \(chip.lines.count) lines, \(chip.path)")
            lines.append("    board file: { kind: gpiochip, chip: \(chip.label.isEmpty ? chip.name : chip.label) }")
            for line in chip.lines where !line.name.isEmpty || line.used {
                var text = "    " + TreeListing.pad(String(line.offset), 5) + TreeListing.pad(line.name.isEmpty ? "-" : line.name, 18)
                if line.used {
                    text += line.isOutput ? "output " : "input  "
                    text += line.consumer.isEmpty ? "used" : "used by \"\(line.consumer)\""
                    if line.activeLow { text += ", active-low" }
                }
                lines.append(text.trimmingTrailingSpaces())
            }
        }
        lines += ["", "I2C buses"]
        if report.i2cBuses.isEmpty { lines.append("  none (on a Pi: dtparam=i2c_arm=on in config.txt)") }
        for bus in report.i2cBuses {
            lines.append("  i2c-\(bus.number)" + (bus.adapter.isEmpty ? "" : " [\(bus.adapter)]") + ", \(bus.path)")
            lines.append("    board file: { kind: i2c, bus: \(bus.number) }")
            if let error = bus.error {
                lines.append("    not scanned: \(error)")
            } else if let answering = bus.answering {
                lines.append("    answering: " + (answering.isEmpty ? "nothing" : answering.map(hex).joined(separator: " ")))
            } else {
                lines.append("    not scanned (--no-scan)")
            }
            if !bus.heldByDriver.isEmpty {
                lines.append("    held by a kernel driver: " + bus.heldByDriver.map(hex).joined(separator: " "))
            }
        }
        lines += ["", "PWM chips"]
        if report.pwmChips.isEmpty { lines.append("  none (on a Pi: dtoverlay=pwm or pwm-2chan in config.txt)") }
        for chip in report.pwmChips {
            var text = "  \(chip.name)"
            if let count = chip.channelCount { text += " \(count) channel\(count == 1 ? "" : "s")" }
            if !chip.device.isEmpty { text += " (\(chip.device))" }
            if !chip.exported.isEmpty { text += ", exported: " + chip.exported.map(String.init).joined(separator: " ") }
            lines.append(text)
            if let error = chip.error { lines.append("    \(error)") }
            lines.append("    board file: { kind: pwmchip, chip: \(chip.name)\(chip.channelCount.map { ", channels: \($0)" } ?? "") }")
        }
        lines += ["", "Serial ports"]
        if report.serialPorts.isEmpty { lines.append("  none") }
        for port in report.serialPorts {
            lines.append("  \(port.path)" + (port.tty.map { " -> \($0)" } ?? ""))
        }
        for subsystem in KernelSensorSubsystem.allCases {
            lines += ["", subsystem == .iio ? "IIO sensors (kernel drivers)" : "hwmon sensors (kernel drivers)"]
            let devices = report.kernelSensors.filter { $0.subsystem == subsystem }
            if devices.isEmpty {
                lines.append("  none" + (subsystem == .iio ? " (on a Pi: dtoverlay=i2c-sensor,<chip> in config.txt)" : ""))
            }
            for device in devices { lines += kernelSensor(device, among: devices) }
        }
        return lines.joined(separator: "\n")
    }

    /// A kernel sensor, the board-file line that names it (by I2C bus and address when another
    /// device shares its name) and each channel with its value.
    static func kernelSensor(_ device: ProbeReport.KernelSensorEntry, among devices: [ProbeReport.KernelSensorEntry]) -> [String] {
        var location = ""
        if let bus = device.i2cBus { location = " on i2c-\(bus)" + (device.address.map { " address \(hex($0))" } ?? "") }
        var lines = ["  \(device.sysfsName) \(device.kernelName)\(location)"]
        var entry = "{ kind: \(device.subsystem.rawValue), device: \(device.kernelName)"
        if let bus = device.i2cBus, let address = device.address {
            entry += ", i2c: i2c\(bus), address: \(hex(address)) }   (with i2c\(bus): { kind: i2c, bus: \(bus) } under hardware)"
        } else if devices.filter({ $0.kernelName == device.kernelName }).count > 1 {
            entry = "(not selectable: another \(device.kernelName) has no I2C address either)"
        } else {
            entry += " }"
        }
        lines.append("    board file: " + entry)
        if device.readings.isEmpty { lines.append("    no channels iotoyd reads") }
        for reading in device.readings {
            var text = "    " + TreeListing.pad(reading.channel.name, 20)
            if let value = reading.value {
                text += TreeListing.pad("\(value)" + (reading.channel.quantity.unit.map { " \($0)" } ?? ""), 18)
            } else {
                text += TreeListing.pad("unreadable", 18)
            }
            text += reading.channel.source
            if let error = reading.error { text += " (\(error))" }
            lines.append(text.trimmingTrailingSpaces())
        }
        return lines
    }

    static func hex(_ address: UInt8) -> String {
        "0x" + (address < 0x10 ? "0" : "") + String(address, radix: 16)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        String(self.reversed().drop(while: { $0 == " " }).reversed())
    }
}
