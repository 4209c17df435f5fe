import Glibc
import IOToyHAL

/// The real machine: libgpiod, i2c-dev, sysfs PWM and termios behind the HAL's seams.
public enum LinuxHardware {
    /// Every seam's Linux backend, with a real blocking delay. The roots are injectable so
    /// tests can point them at directory trees of their own.
    public static func platform(
        devRoot: String = "/dev", pwmRoot: String = "/sys/class/pwm", pwmExportTimeout: Duration = .seconds(2)
    ) -> HardwarePlatform {
        HardwarePlatform(
            gpio: LinuxGPIOProvider(devRoot: devRoot),
            i2c: LinuxI2CProvider(devRoot: devRoot),
            pwm: LinuxPWMProvider(root: pwmRoot, exportTimeout: pwmExportTimeout),
            serial: LinuxSerialProvider(),
            delay: LinuxDelay())
    }
}

/// A real blocking wait (clock_nanosleep on CLOCK_MONOTONIC, resumed after signals), for
/// datasheet delays on an owner thread.
public struct LinuxDelay: BlockingDelay {
    public init() {}

    public func wait(_ duration: Duration) {
        let nanoseconds = duration.wholeNanoseconds
        guard nanoseconds > 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let total = UInt64(now.tv_nsec) + nanoseconds % 1_000_000_000
        var deadline = timespec(
            tv_sec: now.tv_sec + Int(nanoseconds / 1_000_000_000) + Int(total / 1_000_000_000),
            tv_nsec: Int(total % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
    }
}
