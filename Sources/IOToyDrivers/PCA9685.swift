import IOToyHAL
import Synchronization

/// An NXP PCA9685 16-channel PWM controller on I2C, vending its channels as ``PWMChannel``s
/// so a servo runs on it exactly as on a pwmchip. All channels share one period, set from
/// `frequency_hz` through the prescaler when the first channel is used.
public final class PCA9685: Sendable {
    /// What the board file says about the chip.
    public struct Configuration: Sendable, Hashable {
        public var bus: Int
        public var address: UInt8 = 0x40
        public var frequencyHz: Double = 50

        public init(bus: Int) {
            self.bus = bus
        }

        /// PRE_SCALE for the frequency: round(25 MHz / (4096 × f)) − 1, clamped to 3…255.
        public var prescale: UInt8 {
            UInt8(clamping: max(3, Int((25_000_000 / (4096 * frequencyHz)).rounded()) - 1))
        }

        /// The period the chip really produces, in nanoseconds.
        public var periodNs: Double { Double(Int(prescale) + 1) * 4096 / 25_000_000 * 1e9 }
    }

    public static let channelCount = 16
    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    public let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, claimed: Set<Int>)>((nil, []))

    public init(i2c: any I2CProvider, delay: any BlockingDelay, configuration: Configuration) {
        self.i2c = i2c
        self.delay = delay
        self.configuration = configuration
    }

    var deviceName: String { "i2c-\(configuration.bus) address 0x\(String(configuration.address, radix: 16)) (pca9685)" }

    /// Opens channel `index` (0…15). Throws `busy` if it is already open.
    public func openChannel(_ index: Int) throws(HardwareError) -> any PWMChannel {
        guard (0..<PCA9685.channelCount).contains(index) else {
            throw HardwareError(.notFound, operation: "open channel \(index)", device: deviceName)
        }
        let claimed = state.withLock { $0.claimed.insert(index).inserted }
        guard claimed else { throw HardwareError(.busy, operation: "open channel \(index)", device: deviceName) }
        return PCA9685Channel(chip: self, index: index)
    }

    /// Opens the bus and sets the prescaler, once; the chip must sleep while it changes.
    func configuredBus() throws(HardwareError) -> any I2CBus {
        if let bus = state.withLock({ $0.bus }) { return bus }
        let bus = try i2c.openBus(configuration.bus)
        let address = configuration.address
        do {
            try bus.writeByte(address: address, register: 0x00, value: 0x30)   // SLEEP | AI
            try bus.writeByte(address: address, register: 0xFE, value: configuration.prescale)
            try bus.writeByte(address: address, register: 0x00, value: 0x20)   // wake, auto-increment
            delay.wait(.microseconds(500))                                     // oscillator start-up
            try bus.writeByte(address: address, register: 0x00, value: 0xA0)   // RESTART | AI
        } catch {
            bus.close()
            throw error
        }
        state.withLock { $0.bus = bus }
        return bus
    }

    func setPulse(channel: Int, state pwm: PWMState) throws(HardwareError) {
        let period = configuration.periodNs
        if pwm.enabled, abs(Double(pwm.periodNs) - period) > period * 0.02 {
            throw HardwareError(
                .unsupported, operation: "set period of channel \(channel)", device: deviceName,
                message: "the chip runs at \(Int(period.rounded())) ns (frequency_hz \(configuration.frequencyHz)); \(pwm.periodNs) ns was asked")
        }
        let bus = try configuredBus()
        var ticks = pwm.enabled ? Int((Double(pwm.dutyNs) / period * 4096).rounded()) : 0
        if pwm.polarity == .inversed && pwm.enabled { ticks = 4096 - ticks }
        let registers: [UInt8] = switch ticks {
        case ...0: [0, 0, 0, 0x10]                                  // full off
        case 4096...: [0, 0x10, 0, 0]                                // full on
        default: [0, 0, UInt8(ticks & 0xff), UInt8(ticks >> 8)]
        }
        try bus.writeBlock(address: configuration.address, register: UInt8(0x06 + 4 * channel), bytes: registers)
    }

    func readPulse(channel: Int) throws(HardwareError) -> PWMState {
        let bus = try configuredBus()
        let bytes = try bus.readBlock(address: configuration.address, register: UInt8(0x06 + 4 * channel), count: 4)
        let period = UInt64(configuration.periodNs.rounded())
        if bytes[3] & 0x10 != 0 { return PWMState(periodNs: period, dutyNs: 0, enabled: false) }
        if bytes[1] & 0x10 != 0 { return PWMState(periodNs: period, dutyNs: period, enabled: true) }
        let on = Int(bytes[0]) | Int(bytes[1] & 0x0f) << 8, off = Int(bytes[2]) | Int(bytes[3] & 0x0f) << 8
        let ticks = (off - on + 4096) % 4096
        return PWMState(periodNs: period, dutyNs: UInt64((Double(ticks) * Double(period) / 4096).rounded()), enabled: true)
    }

    func release(channel: Int) {
        try? setPulse(channel: channel, state: .off)
        _ = state.withLock { $0.claimed.remove(channel) }
    }
}

/// One output of a ``PCA9685``.
struct PCA9685Channel: PWMChannel {
    let chip: PCA9685
    let index: Int

    var name: String { "\(chip.deviceName)/\(index)" }

    func apply(_ state: PWMState) throws(HardwareError) { try chip.setPulse(channel: index, state: state) }

    func currentState() throws(HardwareError) -> PWMState { try chip.readPulse(channel: index) }

    func release() { chip.release(channel: index) }
}
