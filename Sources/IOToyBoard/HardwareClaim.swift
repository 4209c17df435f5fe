/// Something only one component (or hardware entry) may hold: a GPIO line, a PWM channel, an
/// I2C address, a serial port. Two equal claims in a board are an error naming both holders.
public enum HardwareClaim: Sendable, Hashable, CustomStringConvertible {
    case line(entry: String, line: String)
    case pwmChannel(entry: String, channel: Int)
    case i2cAddress(bus: Int, address: Int)
    case serialPort(entry: String)

    public var description: String {
        switch self {
        case .line(let entry, let line): "line \(entry)/\(line)"
        case .pwmChannel(let entry, let channel): "pwm \(entry)/\(channel)"
        case .i2cAddress(let bus, let address): "i2c-\(bus) address 0x\(String(address, radix: 16))"
        case .serialPort(let entry): "serial \(entry)"
        }
    }
}
