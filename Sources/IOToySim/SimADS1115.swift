import IOToyCore
import Synchronization

/// A register-level model of a TI ADS1115: the conversion, config and threshold registers
/// (16 bits, most significant byte first on the wire), a multiplexer, the PGA's full-scale
/// ranges and the OS bit.
///
/// A test sets the voltage on each input (``setVolts(_:on:)``); a conversion produces the
/// code the datasheet's transfer function gives, `volts × 2^15 / FS` rounded toward zero and
/// clipped to 0x8000…0x7FFF, for the pair the MUX selects. Writing OS = 1 in single-shot mode
/// starts a conversion: the config register reads OS = 0 and the conversion register keeps
/// the previous result until the conversion ends, which it does after ``Timing``.
public final class SimADS1115: SimI2CDevice {
    /// When a started single-shot conversion ends.
    public enum Timing: Sendable, Hashable {
        /// After this many reads of the config register (the driver polling OS). The default,
        /// 1, makes the first poll see it busy.
        case polls(Int)
        /// Once ``elapse(_:)`` has told the model that 1 / data rate has passed.
        case realTime
        /// Never: a conversion that hangs.
        case never
    }

    /// Register pointers.
    public enum Register {
        public static let conversion: UInt8 = 0x00
        public static let config: UInt8 = 0x01
        public static let lowThreshold: UInt8 = 0x02
        public static let highThreshold: UInt8 = 0x03
    }

    /// The config register at power-on.
    public static let powerOnConfig: UInt16 = 0x8583

    struct State {
        var config = SimADS1115.powerOnConfig
        var conversion: UInt16 = 0
        var lowThreshold: UInt16 = 0x8000
        var highThreshold: UInt16 = 0x7FFF
        var volts: [Double] = [0, 0, 0, 0]
        var timing: Timing
        var converting = false
        var pollsWhileConverting = 0
        var elapsed: Duration = .zero
        var conversions = 0
    }

    private let state: Mutex<State>

    public init(timing: Timing = .polls(1)) {
        state = Mutex(State(timing: timing))
    }

    /// Sets the voltage (against GND) on input `index` (0…3).
    public func setVolts(_ volts: Double, on index: Int) {
        state.withLock { $0.volts[index] = volts }
    }

    /// Changes when conversions end.
    public func setTiming(_ timing: Timing) {
        state.withLock { $0.timing = timing }
    }

    /// Tells the model that `duration` has passed (a test's delay calls this).
    public func elapse(_ duration: Duration) {
        state.withLock { state in
            guard state.converting else { return }
            state.elapsed += duration
            if state.timing == .realTime, state.elapsed >= SimADS1115.conversionTime(state.config) {
                SimADS1115.finish(&state)
            }
        }
    }

    /// How many conversions have completed.
    public var conversionCount: Int { state.withLock { $0.conversions } }

    /// The config register as last written.
    public var config: UInt16 { state.withLock { $0.config } }

    /// The code the datasheet's transfer function gives for `volts` at full scale `fullScale`.
    public static func code(volts: Double, fullScale: Double) -> Int16 {
        // A voltage on a code's edge (1 V at ±4.096 V is 8000 codes exactly) is that code,
        // even when binary arithmetic lands a hair below it.
        let ideal = (volts * 32768 / fullScale * (1 + 1e-12)).rounded(.towardZero)
        return Int16(min(max(ideal, -32768), 32767))
    }

    public func readWordRegister(_ register: UInt8) -> UInt16 {
        state.withLock { state -> UInt16 in
            let value: UInt16
            switch register & 0b11 {
            case Register.conversion:
                if state.config & 0x0100 == 0 { SimADS1115.finish(&state) }   // continuous mode
                value = state.conversion
            case Register.config:
                if state.converting, case .polls(let polls) = state.timing {
                    state.pollsWhileConverting += 1
                    if state.pollsWhileConverting > polls { SimADS1115.finish(&state) }
                }
                value = state.converting ? state.config & 0x7FFF : state.config | 0x8000
            case Register.lowThreshold: value = state.lowThreshold
            default: value = state.highThreshold
            }
            return value.byteSwapped
        }
    }

    public func writeWordRegister(_ register: UInt8, _ wire: UInt16) {
        let value = wire.byteSwapped
        state.withLock { state in
            switch register & 0b11 {
            case Register.conversion:
                break   // read-only
            case Register.config:
                state.config = value & 0x7FFF
                if value & 0x8000 != 0, value & 0x0100 != 0, !state.converting {
                    state.converting = true
                    state.pollsWhileConverting = 0
                    state.elapsed = .zero
                }
            case Register.lowThreshold: state.lowThreshold = value
            default: state.highThreshold = value
            }
        }
    }

    /// A byte read gets the register's first byte on the wire: its most significant.
    public func readRegister(_ register: UInt8) -> UInt8 {
        UInt8(readWordRegister(register) & 0xff)
    }

    /// A byte write is not a transaction the chip understands; it is ignored.
    public func writeRegister(_ register: UInt8, _ value: UInt8) {}

    public func snapshot() -> JSONValue {
        state.withLock { state in
            .object([
                "model": .string("ads1115"),
                "config": .string("0x" + String(state.config, radix: 16)),
                "volts": .array(state.volts.map { .double($0) }),
                "conversions": .int(state.conversions),
            ])
        }
    }

    private static func conversionTime(_ config: UInt16) -> Duration {
        let rates = [8, 16, 32, 64, 128, 250, 475, 860]
        return .nanoseconds(1_000_000_000 / rates[Int(config >> 5 & 0b111)])
    }

    private static func finish(_ state: inout State) {
        let pairs: [(Int, Int?)] = [(0, 1), (0, 3), (1, 3), (2, 3), (0, nil), (1, nil), (2, nil), (3, nil)]
        let (positive, negative) = pairs[Int(state.config >> 12 & 0b111)]
        let volts = state.volts[positive] - (negative.map { state.volts[$0] } ?? 0)
        let fullScales = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256]
        let code = code(volts: volts, fullScale: fullScales[Int(state.config >> 9 & 0b111)])
        state.conversion = UInt16(bitPattern: code)
        state.converting = false
        state.conversions += 1
    }
}
