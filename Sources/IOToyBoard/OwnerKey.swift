import IOToyHAL

/// Which owner thread a component's operations run on: one per bus, chip or port, so the
/// board, the reload and `serve --serial` all name the same owner the same way. Its
/// description is the owner's name (logs, the `owner` label of `/metrics`).
public enum OwnerKey: Sendable, Hashable, CustomStringConvertible {
    /// The lines of a gpiochip entry that need no watcher: outputs and unwatched inputs.
    case gpioChip(entry: String)
    /// An input watched for edges: its own owner, so its bounded wait holds up no one else.
    case gpioLine(entry: String, line: String)
    /// Everything on `/dev/i2c-N`: sensors and PCA9685 hats alike.
    case i2cBus(Int)
    /// A pwmchip entry's channels.
    case pwmChip(entry: String)
    /// A serial port, by its hardware entry (or, for `serve --serial`, its path).
    case serialPort(String)
    /// A kernel IIO or hwmon device: its sysfs reads wait for the kernel driver's conversion,
    /// so they hold up no bus owner (a servo's command never waits behind them).
    case kernelSensor(KernelSensorSelector)

    public var description: String {
        switch self {
        case .gpioChip(let entry): "gpio:\(entry)"
        case .gpioLine(let entry, let line): "gpio:\(entry)/\(line)"
        case .i2cBus(let bus): "i2c-\(bus)"
        case .pwmChip(let entry): "pwm:\(entry)"
        case .serialPort(let name): "serial:\(name)"
        case .kernelSensor(let selector):
            "\(selector.subsystem.rawValue):\(selector.name)" + (selector.i2cBus.map { "@i2c-\($0)" } ?? "")
                + (selector.address.map { "/0x\(String($0, radix: 16))" } ?? "")
        }
    }
}
