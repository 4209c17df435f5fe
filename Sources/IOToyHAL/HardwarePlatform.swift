/// All the seams of one platform: the Linux backend, or the simulator.
///
/// Built in `iotoyd` and passed down; drivers receive only the provider they need.
public struct HardwarePlatform: Sendable {
    public let gpio: any GPIOProvider
    public let i2c: any I2CProvider
    public let pwm: any PWMProvider
    public let serial: any SerialProvider
    /// The kernel's own sensor drivers (IIO and hwmon devices).
    public let kernelSensors: any KernelSensorProvider
    /// Blocking datasheet delays on an owner thread.
    public let delay: any BlockingDelay

    public init(
        gpio: any GPIOProvider, i2c: any I2CProvider, pwm: any PWMProvider, serial: any SerialProvider,
        kernelSensors: any KernelSensorProvider, delay: any BlockingDelay
    ) {
        self.gpio = gpio
        self.i2c = i2c
        self.pwm = pwm
        self.serial = serial
        self.kernelSensors = kernelSensors
        self.delay = delay
    }
}
