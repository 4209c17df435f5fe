import IOToyCore
import Synchronization

/// A register-level model of an NXP PCA9685 16-channel PWM controller with its 25 MHz
/// internal oscillator: MODE1 sleep/auto-increment, PRE_SCALE (writable only while asleep),
/// and the per-channel ON/OFF registers with their full-on / full-off bits.
public final class SimPCA9685: SimI2CDevice {
    public static let oscillatorHz = 25_000_000.0
    private let registers: Mutex<[UInt8]>
    /// Told of each channel whose pulse was just written (its LEDn_OFF_H byte, the last of the
    /// four). Boxed: a closure read out of a `Mutex` as itself gains a thunk on every read.
    private let channelObserver = Mutex<ChannelObserver?>(nil)

    private struct ChannelObserver: Sendable {
        let written: @Sendable (_ channel: Int) -> Void
    }

    public init() {
        var registers = [UInt8](repeating: 0, count: 256)
        registers[0x00] = 0x11   // MODE1 at power-on: SLEEP | ALLCALL
        registers[0x01] = 0x04   // MODE2: OUTDRV
        registers[0xFE] = 0x1E   // PRE_SCALE: 200 Hz
        for channel in 0..<16 { registers[0x06 + 4 * channel + 3] = 0x10 }   // full off
        self.registers = Mutex(registers)
    }

    /// True while MODE1.SLEEP is set (oscillator off, no outputs).
    public var isSleeping: Bool { registers.withLock { $0[0] & 0x10 != 0 } }

    /// The output period from PRE_SCALE, in nanoseconds.
    public var periodNs: Double {
        registers.withLock { Double(Int($0[0xFE]) + 1) * 4096 / SimPCA9685.oscillatorHz * 1e9 }
    }

    /// The high time of `channel` in nanoseconds (0 while sleeping or full off).
    public func pulseWidthNs(channel: Int) -> Double {
        let period = periodNs
        return registers.withLock { registers in
            if registers[0] & 0x10 != 0 { return 0 }
            let base = 0x06 + 4 * channel
            let on = Int(registers[base]) | Int(registers[base + 1] & 0x0f) << 8
            let off = Int(registers[base + 2]) | Int(registers[base + 3] & 0x0f) << 8
            if registers[base + 3] & 0x10 != 0 { return 0 }
            if registers[base + 1] & 0x10 != 0 { return period }
            let ticks = (off - on + 4096) % 4096
            return Double(ticks) * period / 4096
        }
    }

    public func readRegister(_ register: UInt8) -> UInt8 {
        registers.withLock { $0[Int(register)] }
    }

    /// Calls `written` with the channel each time a channel's pulse is written (its last
    /// register, LEDn_OFF_H), after the write: the moment a servo's new angle is on the pin.
    /// For latency measurements (`iotoyd-bench-put`); one observer at a time.
    public func observeChannelWrites(_ written: @escaping @Sendable (_ channel: Int) -> Void) {
        channelObserver.withLock { $0 = ChannelObserver(written: written) }
    }

    public func writeRegister(_ register: UInt8, _ value: UInt8) {
        defer {
            if (0x09...0x45).contains(register), (register - 0x09) % 4 == 0, let observer = channelObserver.withLock({ $0 }) {
                observer.written(Int(register - 0x09) / 4)
            }
        }
        registers.withLock { registers in
            switch register {
            case 0xFE:
                if registers[0] & 0x10 != 0 { registers[0xFE] = max(value, 3) }   // ignored unless asleep
            case 0xFA...0xFD:
                for channel in 0..<16 { registers[0x06 + 4 * channel + Int(register - 0xFA)] = value }
            case 0x00:
                registers[0] = value & 0x7f   // RESTART reads back as cleared
            default:
                registers[Int(register)] = value
            }
        }
    }

    public func snapshot() -> JSONValue {
        let period = periodNs
        return .object([
            "model": .string("pca9685"),
            "sleeping": .bool(isSleeping),
            "period_ns": .number(period.rounded()),
            "pulse_ns": .array((0..<16).map { .number(pulseWidthNs(channel: $0).rounded()) }),
        ])
    }
}
