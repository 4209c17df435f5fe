import IOToyCore
import Synchronization

/// A register-level model of a TI INA219: registers 0x00–0x05, 16 bits each, most significant
/// byte first on the wire, behaving as the datasheet describes.
///
/// A test sets the shunt voltage (IN+ − IN−) and the bus voltage (IN− to GND). In a mode that
/// converts them, the shunt register holds `V_shunt / 10 µV` clipped to the PGA's range, the
/// bus register `V_bus / 4 mV` in bits 15:3 with CNVR (bit 1) and OVF (bit 0), and the chip's
/// own arithmetic fills the rest: `current = trunc(shunt × calibration / 4096)`,
/// `power = trunc(|current| × bus / 5000)`, both 0 until a calibration is written, OVF when
/// either leaves its register. Setting the reset bit restores the power-on registers.
public final class SimINA219: SimI2CDevice {
    /// Register pointers.
    public enum Register {
        public static let configuration: UInt8 = 0x00
        public static let shunt: UInt8 = 0x01
        public static let bus: UInt8 = 0x02
        public static let power: UInt8 = 0x03
        public static let current: UInt8 = 0x04
        public static let calibration: UInt8 = 0x05
    }

    /// The configuration register at power-on: 32 V, ±320 mV, 12 bits, continuous.
    public static let powerOnConfiguration: UInt16 = 0x399F

    struct State {
        var configuration = SimINA219.powerOnConfiguration
        var calibration: UInt16 = 0
        var shuntVolts = 0.0
        var busVolts = 0.0
        var conversionReady = false
    }

    private let state: Mutex<State>

    public init(shuntVolts: Double = 0, busVolts: Double = 0) {
        state = Mutex(State(shuntVolts: shuntVolts, busVolts: busVolts))
    }

    /// Sets the voltage across the shunt (IN+ − IN−), volts.
    public func setShuntVolts(_ volts: Double) {
        state.withLock { $0.shuntVolts = volts }
    }

    /// Sets the bus voltage (IN− to GND), volts.
    public func setBusVolts(_ volts: Double) {
        state.withLock { $0.busVolts = volts }
    }

    /// The calibration register as written.
    public var calibration: UInt16 { state.withLock { $0.calibration } }

    /// The configuration register as written.
    public var configuration: UInt16 { state.withLock { $0.configuration } }

    /// The register's value as the chip would answer it now.
    public func register(_ pointer: UInt8) -> UInt16 {
        state.withLock { SimINA219.value(of: pointer, in: $0) }
    }

    public func readWordRegister(_ register: UInt8) -> UInt16 {
        state.withLock { state in
            let mode = state.configuration & 0b111
            if mode != 0, mode != 0b100 { state.conversionReady = true }
            let value = SimINA219.value(of: register, in: state)
            if register == Register.power { state.conversionReady = false }
            return value.byteSwapped
        }
    }

    public func writeWordRegister(_ register: UInt8, _ wire: UInt16) {
        let value = wire.byteSwapped
        state.withLock { state in
            switch register {
            case Register.configuration:
                if value & 0x8000 != 0 {
                    state.configuration = SimINA219.powerOnConfiguration
                    state.calibration = 0
                } else {
                    state.configuration = value
                }
                state.conversionReady = false
            case Register.calibration:
                state.calibration = value & 0xFFFE   // bit 0 does not exist
            default:
                break   // data registers are read-only
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
                "model": .string("ina219"),
                "configuration": .string("0x" + String(state.configuration, radix: 16)),
                "calibration": .int(Int(state.calibration)),
                "shunt_volts": .double(state.shuntVolts),
                "bus_volts": .double(state.busVolts),
            ])
        }
    }

    /// Shunt register counts (10 µV each), clipped to the PGA's range.
    private static func shuntCounts(_ state: State) -> Int {
        let limit = 4000 << Int(state.configuration >> 11 & 0b11)
        return min(max(Int((state.shuntVolts * 100_000).rounded()), -limit), limit)
    }

    /// Bus counts (4 mV each), clipped to the bus range (16 V or 32 V).
    private static func busCounts(_ state: State) -> Int {
        let limit = state.configuration & 0x2000 != 0 ? 8000 : 4000
        return min(max(Int((state.busVolts * 250).rounded()), 0), limit)
    }

    private static func value(of register: UInt8, in state: State) -> UInt16 {
        let mode = state.configuration & 0b111
        let measuresShunt = mode & 0b1 != 0 && mode != 0b100
        let measuresBus = mode & 0b10 != 0 && mode != 0b100
        let shunt = measuresShunt ? shuntCounts(state) : 0
        let bus = measuresBus ? busCounts(state) : 0
        let current = shunt * Int(state.calibration) / 4096   // Swift's / truncates toward zero
        let power = abs(current) * bus / 5000
        let overflow = current > Int(Int16.max) || current < Int(Int16.min) || power > Int(UInt16.max)
        switch register {
        case Register.configuration: return state.configuration
        case Register.shunt: return UInt16(bitPattern: Int16(shunt))
        case Register.bus: return UInt16(bus << 3) | (state.conversionReady ? 0b10 : 0) | (overflow ? 0b1 : 0)
        case Register.power: return overflow ? 0 : UInt16(power)
        case Register.current: return overflow ? 0 : UInt16(bitPattern: Int16(current))
        case Register.calibration: return state.calibration
        default: return 0
        }
    }
}
