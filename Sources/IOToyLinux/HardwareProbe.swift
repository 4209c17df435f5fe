import Glibc
import IOToyHAL

/// Looks at the machine's GPIO chips, I2C buses, pwmchips, serial ports and kernel sensors through the same
/// backends the daemon uses. The roots are injectable: tests point them at trees of their own.
public struct HardwareProbe: Sendable {
    /// `/dev`.
    public let devRoot: String
    /// `/sys`.
    public let sysRoot: String
    /// Whether to probe every I2C address (as `i2cdetect` does; a quick write can upset a few
    /// write-only chips, so it can be turned off).
    public let scanI2C: Bool

    public init(devRoot: String = "/dev", sysRoot: String = "/sys", scanI2C: Bool = true) {
        self.devRoot = devRoot
        self.sysRoot = sysRoot
        self.scanI2C = scanI2C
    }

    /// Probes everything.
    public func run() -> ProbeReport {
        let library = LinuxGPIOProvider.library
        return ProbeReport(
            gpioLibrary: "libgpiod \(library.version), API v\(library.apiMajor)",
            gpioChips: gpioChips(), i2cBuses: i2cBuses(), pwmChips: pwmChips(), serialPorts: serialPorts(),
            kernelSensors: kernelSensors())
    }

    /// Every `gpiochipN` with its label and lines.
    public func gpioChips() -> [ProbeReport.GPIOChipEntry] {
        let provider = LinuxGPIOProvider(devRoot: devRoot)
        return provider.chipPaths().map { path in
            let name = String(path.split(separator: "/").last ?? "")
            do throws(HardwareError) {
                let chip = try provider.open(.path(path))
                defer { chip.close() }
                var lines: [GPIOLineInfo] = []
                for offset in 0..<chip.lineCount { lines.append(try chip.lineInfo(offset: offset)) }
                return .init(name: chip.name, label: chip.label, path: path, lines: lines, error: nil)
            } catch {
                return .init(name: name, label: "", path: path, lines: [], error: error.description)
            }
        }
    }

    /// Every `/dev/i2c-N`, with the addresses that answer when scanning.
    public func i2cBuses() -> [ProbeReport.I2CBusEntry] {
        let provider = LinuxI2CProvider(devRoot: devRoot)
        return provider.busNumbers().map { number in
            let adapter = (try? SysfsFile.read("\(sysRoot)/class/i2c-dev/i2c-\(number)/name"))
                ?? (try? SysfsFile.read("\(sysRoot)/bus/i2c/devices/i2c-\(number)/name")) ?? ""
            let path = "\(devRoot)/i2c-\(number)"
            guard scanI2C else {
                return .init(number: number, adapter: adapter, path: path, answering: nil, heldByDriver: [], error: nil)
            }
            do throws(HardwareError) {
                let bus = try provider.open(number)
                defer { bus.close() }
                var answering: [UInt8] = [], held: [UInt8] = []
                for address in UInt8(0x03)...UInt8(0x77) {
                    do throws(HardwareError) {
                        if try bus.probe(address: address) { answering.append(address) }
                    } catch where error.kind == .busy {
                        held.append(address)
                    }
                }
                return .init(number: number, adapter: adapter, path: path, answering: answering, heldByDriver: held, error: nil)
            } catch {
                return .init(number: number, adapter: adapter, path: path, answering: nil, heldByDriver: [], error: error.description)
            }
        }
    }

    /// Every pwmchip with its channel count.
    public func pwmChips() -> [ProbeReport.PWMChipEntry] {
        let root = "\(sysRoot)/class/pwm"
        let provider = LinuxPWMProvider(root: root)
        return provider.chipNames().map { name in
            let device = SysfsFile.linkTarget("\(root)/\(name)/device").map { String($0.split(separator: "/").last ?? "") } ?? ""
            let exported = ((try? SysfsFile.entries("\(root)/\(name)")) ?? []).compactMap { entry in
                entry.hasPrefix("pwm") ? Int(entry.dropFirst(3)) : nil
            }.sorted()
            do throws(HardwareError) {
                let count = try provider.channelCount(chip: name)
                return .init(name: name, channelCount: count, device: device, exported: exported, error: nil)
            } catch {
                return .init(name: name, channelCount: nil, device: device, exported: exported, error: error.description)
            }
        }
    }

    /// Every IIO device, then every hwmon device, with each channel read once.
    public func kernelSensors() -> [ProbeReport.KernelSensorEntry] {
        let provider = LinuxKernelSensorProvider(sysRoot: sysRoot)
        return KernelSensorSubsystem.allCases.flatMap { subsystem in
            provider.devices(subsystem).map { device in
                let readings = device.channels.map { channel -> ProbeReport.KernelSensorEntry.Reading in
                    do throws(HardwareError) {
                        return .init(channel: channel, value: try device.read(channel), error: nil)
                    } catch {
                        return .init(channel: channel, value: nil, error: error.description)
                    }
                }
                return .init(
                    subsystem: subsystem, sysfsName: device.sysfsName, kernelName: device.kernelName, i2cBus: device.i2cBus,
                    address: device.address, readings: readings)
            }
        }
    }

    /// Serial ports: stable `/dev/serial/by-id` links first, then `serial0`/`serial1`, then
    /// the USB and on-board UART ttys no link leads to.
    public func serialPorts() -> [ProbeReport.SerialPortEntry] {
        var entries: [ProbeReport.SerialPortEntry] = []
        var covered = Set<String>()
        func link(_ path: String) {
            guard let target = SysfsFile.linkTarget(path) else { return }
            let tty = target.hasPrefix("/") ? target : "\(devRoot)/\(target.split(separator: "/").last ?? "")"
            entries.append(.init(path: path, tty: tty))
            covered.insert(tty)
        }
        let byID = "\(devRoot)/serial/by-id"
        for name in (try? SysfsFile.entries(byID)) ?? [] { link("\(byID)/\(name)") }
        for name in ["serial0", "serial1"] where SysfsFile.linkTarget("\(devRoot)/\(name)") != nil { link("\(devRoot)/\(name)") }
        let prefixes = ["ttyACM", "ttyUSB", "ttyAMA", "ttyAML", "ttyS0"]
        for name in (try? SysfsFile.entries(devRoot)) ?? [] where prefixes.contains(where: name.hasPrefix) {
            let path = "\(devRoot)/\(name)"
            if !covered.contains(path) { entries.append(.init(path: path, tty: nil)) }
        }
        return entries
    }
}
