import Glibc
import IOToyHAL

/// PWM channels through sysfs: `<root>/pwmchipN/export`, then `pwmM/{period,duty_cycle,
/// polarity,enable}`. The root is `/sys/class/pwm` on a real system; tests point it at a
/// directory tree of their own.
public struct LinuxPWMProvider: PWMProvider {
    /// The directory holding the `pwmchipN` entries.
    public let root: String
    /// How long to wait, after exporting, for the channel's files to appear and become
    /// writable (udev changes their group a moment after the kernel makes them).
    public let exportTimeout: Duration

    public init(root: String = "/sys/class/pwm", exportTimeout: Duration = .seconds(2)) {
        self.root = root
        self.exportTimeout = exportTimeout
    }

    public func openChannel(chip: String, channel: Int) throws(HardwareError) -> any PWMChannel {
        try open(chip: chip, channel: channel)
    }

    /// Exports channel `channel` of `chip` and waits until it can be written.
    public func open(chip: String, channel: Int) throws(HardwareError) -> LinuxPWMChannel {
        let chipPath = "\(root)/\(chip)"
        guard !chip.contains("/"), SysfsFile.exists(chipPath) else {
            throw HardwareError(.notFound, operation: "open channel \(channel)", device: chipPath, errno: ENOENT,
                                message: "no such pwmchip (on a Pi: dtoverlay=pwm or pwm-2chan in config.txt)")
        }
        let count = try channelCount(chip: chip)
        guard (0..<count).contains(channel) else {
            throw HardwareError(.notFound, operation: "open channel \(channel)", device: chipPath, errno: ENODEV,
                                message: "the chip has \(count) channel\(count == 1 ? "" : "s") (npwm)")
        }
        let pwm = LinuxPWMChannel(chipPath: chipPath, chip: chip, channel: channel)
        try pwm.export(timeout: exportTimeout)
        return pwm
    }

    /// The number of channels of `chip` (its `npwm`).
    public func channelCount(chip: String) throws(HardwareError) -> Int {
        let path = "\(root)/\(chip)/npwm"
        let text = try SysfsFile.read(path)
        guard let count = Int(text) else {
            throw HardwareError(.io, operation: "read npwm", device: path, message: "'\(text)' is not a number")
        }
        return count
    }

    /// The pwmchips under the root, in numeric order.
    public func chipNames() -> [String] {
        ((try? SysfsFile.entries(root)) ?? []).filter { $0.hasPrefix("pwmchip") }
    }
}
