import IOToyHAL

/// An on/off input of a larger device that a component drives (a motor driver's direction or
/// standby pin): a GPIO line, or a PWM channel held at 0 % or 100 % (a PCA9685 channel wired
/// to a TB6612's IN pin, as on motor hats).
public protocol SwitchedOutput: Sendable {
    /// What it is, for errors: `pinctrl-bcm2711 line GPIO5`, `i2c-1 address 0x60/2`.
    var name: String { get }
    func set(_ on: Bool) throws
    /// Gives the hardware back (switched off first where the hardware allows).
    func release()
}

/// How to open a ``SwitchedOutput`` at start; the board file's reference decides which.
public enum SwitchedOutputSource: Sendable {
    /// A GPIO line driven as an output, starting low.
    case line(gpio: any GPIOProvider, chip: ChipSelector, line: LineSelector, consumer: String)
    /// A PWM channel at 0 % or 100 % of `periodNs`.
    case pwm(periodNs: UInt64, open: @Sendable () throws -> any PWMChannel)

    /// Opens it, switched off.
    public func open() throws -> any SwitchedOutput {
        switch self {
        case .line(let gpio, let chip, let line, let consumer):
            let held = RequestedLine(chip: chip, line: line)
            try held.open(gpio, settings: LineSettings(direction: .output(initial: false)), consumer: consumer)
            return LineSwitch(held: held)
        case .pwm(let periodNs, let open):
            let channel = try open()
            let output = PWMSwitch(channel: channel, periodNs: periodNs)
            do { try output.set(false) } catch {
                channel.release()
                throw error
            }
            return output
        }
    }
}

/// A GPIO line as a ``SwitchedOutput``.
struct LineSwitch: SwitchedOutput {
    let held: RequestedLine

    var name: String { held.device }
    func set(_ on: Bool) throws { try held.current().write(on) }
    func release() { held.release() }
}

/// A PWM channel at 0 % or 100 % as a ``SwitchedOutput``.
struct PWMSwitch: SwitchedOutput {
    let channel: any PWMChannel
    let periodNs: UInt64

    var name: String { channel.name }
    func set(_ on: Bool) throws { try channel.apply(PWMState(periodNs: periodNs, dutyNs: on ? periodNs : 0, enabled: true)) }
    func release() { channel.release() }
}
