import IOToyCore
import IOToyHAL

/// A whole simulated machine: GPIO chips, I2C buses with device models, pwmchips, serial
/// devices and the kernel's IIO and hwmon sensor devices.
/// `iotoyd serve --simulate` runs on one of these; tests drive the same models.
public final class SimulatedHardware: Sendable {
    public let gpio = SimGPIOProvider()
    public let i2c = SimI2CProvider()
    public let pwm = SimPWMProvider()
    public let serial = SimSerialProvider()
    public let kernelSensors = SimKernelSensorProvider()

    public init() {}

    /// The seams, for building components.
    public var platform: HardwarePlatform {
        HardwarePlatform(gpio: gpio, i2c: i2c, pwm: pwm, serial: serial, kernelSensors: kernelSensors, delay: NoDelay())
    }

    /// Everything the simulator holds, as JSON (served at `/_sim` by `iotoyd serve --simulate`).
    public func snapshot() -> JSONValue {
        .object([
            "gpio": .object(Dictionary(uniqueKeysWithValues: gpio.allChips.map { ($0.name, $0.snapshot()) })),
            "i2c": .object(Dictionary(uniqueKeysWithValues: i2c.allBuses.map { ("i2c-\($0.key)", $0.value.snapshot()) })),
            "pwm": .object(pwm.allChips.mapValues { $0.snapshot() }),
            "kernel_sensors": kernelSensors.snapshot(),
        ])
    }
}
