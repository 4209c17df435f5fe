import IOToyHAL

/// The real machine: libgpiod, i2c-dev, sysfs PWM, termios and the kernel's IIO and hwmon
/// devices behind the HAL's seams.
public enum LinuxHardware {
    /// Every seam's Linux backend, with a real blocking delay. The roots are injectable so
    /// tests can point them at directory trees of their own.
    public static func platform(
        devRoot: String = "/dev", pwmRoot: String = "/sys/class/pwm", sysRoot: String = "/sys",
        pwmExportTimeout: Duration = .seconds(2)
    ) -> HardwarePlatform {
        HardwarePlatform(
            gpio: LinuxGPIOProvider(devRoot: devRoot),
            i2c: LinuxI2CProvider(devRoot: devRoot),
            pwm: LinuxPWMProvider(root: pwmRoot, exportTimeout: pwmExportTimeout),
            serial: LinuxSerialProvider(),
            kernelSensors: LinuxKernelSensorProvider(sysRoot: sysRoot),
            delay: LinuxDelay())
    }
}
