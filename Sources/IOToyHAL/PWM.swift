/// The polarity of a PWM output.
public enum PWMPolarity: String, Sendable, Hashable {
    case normal, inversed
}

/// The state of a PWM channel, in nanoseconds as the kernel's sysfs interface has it.
public struct PWMState: Sendable, Hashable, CustomStringConvertible {
    public var periodNs: UInt64
    public var dutyNs: UInt64
    public var enabled: Bool
    public var polarity: PWMPolarity

    public init(periodNs: UInt64, dutyNs: UInt64, enabled: Bool, polarity: PWMPolarity = .normal) {
        self.periodNs = periodNs
        self.dutyNs = dutyNs
        self.enabled = enabled
        self.polarity = polarity
    }

    /// A disabled channel with no period.
    public static let off = PWMState(periodNs: 0, dutyNs: 0, enabled: false)

    public var description: String {
        "period \(periodNs) ns, duty \(dutyNs) ns, \(enabled ? "enabled" : "disabled"), \(polarity.rawValue)"
    }
}

/// Opens PWM channels: a pwmchip's channel on Linux, or a channel vended by a chip driver
/// such as a PCA9685.
public protocol PWMProvider: Sendable {
    /// Opens channel `channel` of the chip the selector names (`pwmchip0`, or a label).
    func openChannel(chip: String, channel: Int) throws(HardwareError) -> any PWMChannel
}

/// One PWM output.
public protocol PWMChannel: Sendable {
    /// A name for errors and logs, e.g. `pwmchip0/pwm1`.
    var name: String { get }
    /// Applies a whole state. Implementations order their writes so that duty never exceeds
    /// period at any moment. Throws `unsupported` for a state the hardware cannot produce.
    func apply(_ state: PWMState) throws(HardwareError)
    /// The state the hardware reports.
    func currentState() throws(HardwareError) -> PWMState
    /// Disables the output and gives the channel back (unexport).
    func release()
}
