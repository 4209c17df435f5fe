import IOToyCore
import Synchronization

/// A register-level model of a Bosch BME280: chip id 0x60, calibration in NVM registers,
/// forced and normal modes, and raw ADC readings in the data registers 0xF7–0xFE.
///
/// A driver sees exactly what it would see on the chip: it must write `ctrl_hum` before
/// `ctrl_meas` for humidity to be measured, and a skipped measurement reads 0x80000 / 0x8000.
public final class SimBME280: SimI2CDevice {
    /// The trimming parameters, as the datasheet names them.
    public struct Calibration: Sendable, Hashable {
        public var t1: UInt16, t2: Int16, t3: Int16
        public var p1: UInt16, p2: Int16, p3: Int16, p4: Int16, p5: Int16, p6: Int16, p7: Int16, p8: Int16, p9: Int16
        public var h1: UInt8, h2: Int16, h3: UInt8, h4: Int16, h5: Int16, h6: Int8

        public init(
            t1: UInt16, t2: Int16, t3: Int16,
            p1: UInt16, p2: Int16, p3: Int16, p4: Int16, p5: Int16, p6: Int16, p7: Int16, p8: Int16, p9: Int16,
            h1: UInt8, h2: Int16, h3: UInt8, h4: Int16, h5: Int16, h6: Int8
        ) {
            self.t1 = t1; self.t2 = t2; self.t3 = t3
            self.p1 = p1; self.p2 = p2; self.p3 = p3; self.p4 = p4; self.p5 = p5
            self.p6 = p6; self.p7 = p7; self.p8 = p8; self.p9 = p9
            self.h1 = h1; self.h2 = h2; self.h3 = h3; self.h4 = h4; self.h5 = h5; self.h6 = h6
        }

        /// The temperature and pressure trimming of the datasheet's worked example (BMP280
        /// datasheet §3.12, shared by the BME280) with typical humidity trimming.
        public static let datasheetExample = Calibration(
            t1: 27504, t2: 26435, t3: -1000,
            p1: 36477, p2: -10685, p3: 3024, p4: 2855, p5: 140, p6: -7, p7: 15500, p8: -14600, p9: 6000,
            h1: 75, h2: 362, h3: 0, h4: 313, h5: 50, h6: 30)
    }

    /// Raw ADC readings: 20-bit temperature and pressure, 16-bit humidity.
    public struct RawReadings: Sendable, Hashable {
        public var temperature: UInt32
        public var pressure: UInt32
        public var humidity: UInt16

        public init(temperature: UInt32, pressure: UInt32, humidity: UInt16) {
            self.temperature = temperature
            self.pressure = pressure
            self.humidity = humidity
        }

        /// The datasheet's worked example (adc_T 519888, adc_P 415148) and a mid-range humidity.
        public static let datasheetExample = RawReadings(temperature: 519_888, pressure: 415_148, humidity: 30_000)
    }

    /// Register addresses.
    public enum Register {
        public static let chipID: UInt8 = 0xD0
        public static let reset: UInt8 = 0xE0
        public static let ctrlHum: UInt8 = 0xF2
        public static let status: UInt8 = 0xF3
        public static let ctrlMeas: UInt8 = 0xF4
        public static let config: UInt8 = 0xF5
        public static let data: UInt8 = 0xF7
    }

    private let state: Mutex<State>

    struct State {
        var registers = [UInt8](repeating: 0, count: 256)
        var readings: RawReadings
        var measurements = 0
    }

    public init(calibration: Calibration = .datasheetExample, readings: RawReadings = .datasheetExample) {
        var state = State(readings: readings)
        SimBME280.powerOn(&state.registers, calibration)
        self.state = Mutex(state)
    }

    /// Sets what the next measurement reads.
    public func setReadings(_ readings: RawReadings) {
        state.withLock { $0.readings = readings }
    }

    /// How many measurements have been made (forced or normal-mode reads).
    public var measurementCount: Int { state.withLock { $0.measurements } }

    public func readRegister(_ register: UInt8) -> UInt8 {
        state.withLock { state in
            if register == Register.data, state.registers[Int(Register.ctrlMeas)] & 0b11 == 0b11 {
                SimBME280.measure(&state)   // normal mode: every burst read sees a fresh conversion
            }
            return state.registers[Int(register)]
        }
    }

    public func writeRegister(_ register: UInt8, _ value: UInt8) {
        state.withLock { state in
            switch register {
            case Register.reset:
                if value == 0xB6 {
                    for control in [Register.ctrlHum, Register.ctrlMeas, Register.config] {
                        state.registers[Int(control)] = 0
                    }
                }
            case Register.ctrlHum:
                state.registers[Int(register)] = value & 0b111
            case Register.ctrlMeas:
                state.registers[Int(register)] = value
                let mode = value & 0b11
                if mode == 0b01 || mode == 0b10 {
                    SimBME280.measure(&state)
                    state.registers[Int(register)] = value & ~0b11   // back to sleep mode
                }
            case Register.config:
                state.registers[Int(register)] = value
            default:
                break   // calibration, id and data registers are read-only
            }
        }
    }

    public func snapshot() -> JSONValue {
        state.withLock { state in
            .object([
                "model": .string("bme280"),
                "adc_T": .int(Int(state.readings.temperature)),
                "adc_P": .int(Int(state.readings.pressure)),
                "adc_H": .int(Int(state.readings.humidity)),
                "ctrl_meas": .int(Int(state.registers[Int(Register.ctrlMeas)])),
                "measurements": .int(state.measurements),
            ])
        }
    }

    private static func measure(_ state: inout State) {
        let ctrlMeas = state.registers[Int(Register.ctrlMeas)]
        let humidityOn = state.registers[Int(Register.ctrlHum)] & 0b111 != 0
        let temperature = (ctrlMeas >> 5) & 0b111 != 0 ? state.readings.temperature : 0x80000
        let pressure = (ctrlMeas >> 2) & 0b111 != 0 ? state.readings.pressure : 0x80000
        let humidity = humidityOn ? state.readings.humidity : 0x8000
        let data: [UInt8] = [
            UInt8(pressure >> 12 & 0xff), UInt8(pressure >> 4 & 0xff), UInt8(pressure << 4 & 0xf0),
            UInt8(temperature >> 12 & 0xff), UInt8(temperature >> 4 & 0xff), UInt8(temperature << 4 & 0xf0),
            UInt8(humidity >> 8), UInt8(humidity & 0xff),
        ]
        for (index, byte) in data.enumerated() { state.registers[Int(Register.data) + index] = byte }
        state.measurements += 1
    }

    private static func powerOn(_ registers: inout [UInt8], _ calibration: Calibration) {
        func put16(_ register: Int, _ value: UInt16) {
            registers[register] = UInt8(value & 0xff)
            registers[register + 1] = UInt8(value >> 8)
        }
        registers[Int(Register.chipID)] = 0x60
        put16(0x88, calibration.t1)
        put16(0x8A, UInt16(bitPattern: calibration.t2))
        put16(0x8C, UInt16(bitPattern: calibration.t3))
        put16(0x8E, calibration.p1)
        let pressure = [calibration.p2, calibration.p3, calibration.p4, calibration.p5, calibration.p6,
                        calibration.p7, calibration.p8, calibration.p9]
        for (index, value) in pressure.enumerated() { put16(0x90 + 2 * index, UInt16(bitPattern: value)) }
        registers[0xA1] = calibration.h1
        put16(0xE1, UInt16(bitPattern: calibration.h2))
        registers[0xE3] = calibration.h3
        let h4 = UInt16(bitPattern: calibration.h4), h5 = UInt16(bitPattern: calibration.h5)
        registers[0xE4] = UInt8(h4 >> 4 & 0xff)
        registers[0xE5] = UInt8(h4 & 0x0f) | UInt8((h5 & 0x0f) << 4)
        registers[0xE6] = UInt8(h5 >> 4 & 0xff)
        registers[0xE7] = UInt8(bitPattern: calibration.h6)
        // Measurement registers read "skipped" until the first conversion.
        let skipped: [UInt8] = [0x80, 0, 0, 0x80, 0, 0, 0x80, 0]
        for (index, byte) in skipped.enumerated() { registers[Int(Register.data) + index] = byte }
    }
}
