import Glibc
import IOToyHAL

/// One exported sysfs PWM channel. Every state change is planned by ``PWMWritePlan`` so that
/// the kernel never sees duty above period; release disables the output and unexports it.
public final class LinuxPWMChannel: PWMChannel {
    public let name: String
    /// The channel's directory, e.g. `/sys/class/pwm/pwmchip0/pwm1`.
    public let path: String
    private let chipPath: String
    private let channel: Int

    init(chipPath: String, chip: String, channel: Int) {
        self.chipPath = chipPath
        self.channel = channel
        self.name = "\(chip)/pwm\(channel)"
        self.path = "\(chipPath)/pwm\(channel)"
    }

    /// Exports the channel (already exported is fine) and waits, polling at most until
    /// `timeout`, for its files to exist and be writable by this process.
    func export(timeout: Duration) throws(HardwareError) {
        do throws(HardwareError) {
            try SysfsFile.write(String(channel), to: "\(chipPath)/export", operation: "export", device: path)
        } catch where error.errno == EBUSY {
            // Already exported (by an earlier run, or by hand): the channel is there to use.
            // Export creates the directory at once, so EBUSY without it means a kernel driver
            // (pwm-fan, a backlight) holds the channel.
            guard SysfsFile.exists(path) else {
                throw HardwareError(
                    .busy, operation: "export", device: path, errno: EBUSY,
                    message: "held by a kernel driver (see /sys/kernel/debug/pwm)")
            }
        }
        let files = ["period", "duty_cycle", "enable", "polarity"].map { "\(path)/\($0)" }
        let start = ContinuousClock.now
        while !files.allSatisfy(SysfsFile.isWritable) {
            guard ContinuousClock.now - start < timeout else {
                let missing = files.first { !SysfsFile.exists($0) }
                throw HardwareError(
                    missing == nil ? .permissionDenied : .timeout, operation: "wait for the exported channel", device: path,
                    errno: missing == nil ? EACCES : ETIMEDOUT,
                    message: missing.map { "\($0) did not appear within \(timeout)" }
                        ?? "not writable after \(timeout); do udev rules give this user's group access to pwmchips?")
            }
            LinuxDelay().wait(.milliseconds(2))
        }
    }

    public func apply(_ state: PWMState) throws(HardwareError) {
        if state.dutyNs > state.periodNs {
            throw HardwareError(.unsupported, operation: "apply \(state)", device: path, errno: EINVAL, message: "duty above period")
        }
        if state.enabled && state.periodNs == 0 {
            throw HardwareError(.unsupported, operation: "enable", device: path, errno: EINVAL, message: "no period set")
        }
        for step in PWMWritePlan.steps(from: try currentState(), to: state) {
            try SysfsFile.write(step.value, to: "\(path)/\(step.file)", operation: "set \(step.file) \(step.value)", device: path)
        }
    }

    public func currentState() throws(HardwareError) -> PWMState {
        func number(_ file: String) throws(HardwareError) -> UInt64 {
            let text = try SysfsFile.read("\(path)/\(file)", device: path)
            guard let value = UInt64(text) else {
                throw HardwareError(.io, operation: "read \(file)", device: path, message: "'\(text)' is not a number")
            }
            return value
        }
        let polarityText = SysfsFile.exists("\(path)/polarity") ? try SysfsFile.read("\(path)/polarity", device: path) : "normal"
        return PWMState(
            periodNs: try number("period"), dutyNs: try number("duty_cycle"), enabled: try number("enable") != 0,
            polarity: PWMPolarity(rawValue: polarityText) ?? .normal)
    }

    public func release() {
        guard SysfsFile.exists(path) else { return }
        try? SysfsFile.write("0", to: "\(path)/enable", operation: "disable", device: path)
        try? SysfsFile.write(String(channel), to: "\(chipPath)/unexport", operation: "unexport", device: path)
    }
}
