import IOToyHAL

/// The TI INA219 current and power monitor as a chip driver, over an I2C bus it does not own.
///
/// It runs in continuous shunt-and-bus mode (12-bit conversions, 532 µs each) with the 32 V
/// bus range and the smallest shunt range (PGA) that holds `maxCurrent × shuntOhms`. The
/// calibration register is computed as in the datasheet's programming example (§8.5.1):
/// `Current_LSB = maxCurrent / 2^15`, `Cal = trunc(0.04096 / (Current_LSB × R_shunt))`,
/// `Power_LSB = 20 × Current_LSB`; current and power are then the chip's own registers.
///
/// The registers are 16 bits, most significant byte first, spoken as SMBus words with the
/// bytes swapped (as the Linux driver does), so the driver also runs on i2c-stub in word mode.
public struct INA219Chip: Sendable {
    /// One measurement.
    public struct Measurement: Sendable, Hashable {
        /// IN− against GND, volts.
        public let busVolts: Double
        /// IN+ − IN−, millivolts.
        public let shuntMillivolts: Double
        /// The current register in amperes.
        public let currentAmperes: Double
        /// The power register in watts.
        public let powerWatts: Double
    }

    /// What the board file sets: the shunt and the largest current to measure.
    public struct Settings: Sendable, Hashable {
        public var shuntOhms: Double
        public var maxCurrentAmperes: Double

        public init(shuntOhms: Double, maxCurrentAmperes: Double) {
            self.shuntOhms = shuntOhms
            self.maxCurrentAmperes = maxCurrentAmperes
        }

        /// Amperes per count of the current register: max current / 2^15.
        public var currentLSB: Double { maxCurrentAmperes / 32768 }
        /// Watts per count of the power register: 20 × the current LSB.
        public var powerLSB: Double { 20 * currentLSB }
        /// trunc(0.04096 / (Current_LSB × R_shunt)), the datasheet's equation (truncated after
        /// allowing for binary rounding, so 20480.0 computed as 20479.999… stays 20480); bit 0
        /// of the register does not exist, so the value written is even.
        public var calibration: Int {
            let exact = 0.04096 / (currentLSB * shuntOhms)
            guard exact.isFinite, exact < 1e12 else { return Int.max }
            return Int((exact * (1 + 1e-12)).rounded(.towardZero)) & ~1
        }
        /// The largest shunt voltage expected, volts.
        public var maxShuntVolts: Double { maxCurrentAmperes * shuntOhms }
        /// The shunt ranges (±40, 80, 160, 320 mV) by PGA setting.
        public static let shuntRangesVolts = [0.04, 0.08, 0.16, 0.32]
        /// The PGA setting whose range holds ``maxShuntVolts``; nil above 320 mV.
        public var pga: Int? { Self.shuntRangesVolts.firstIndex { maxShuntVolts <= $0 + 1e-12 } }

        /// Why these settings cannot be programmed, or nil.
        public var problem: String? {
            guard pga != nil else {
                return "max_current_a × shunt_ohms is \(maxShuntVolts) V, above the INA219's 0.32 V shunt range"
            }
            guard (1...0xFFFE).contains(calibration) else {
                return "max_current_a × shunt_ohms is \(maxShuntVolts) V; below 0.0205 V the calibration register would overflow 16 bits"
            }
            return nil
        }

        /// The configuration register: 32 V bus, the PGA, 12-bit ADCs, shunt and bus continuous.
        public var configuration: UInt16 { 1 << 13 | UInt16(pga ?? 3) << 11 | 0b0011 << 7 | 0b0011 << 3 | 0b111 }
    }

    /// Register pointers.
    enum Register {
        static let configuration: UInt8 = 0x00
        static let shunt: UInt8 = 0x01
        static let bus: UInt8 = 0x02
        static let power: UInt8 = 0x03
        static let current: UInt8 = 0x04
        static let calibration: UInt8 = 0x05
    }

    /// One shunt and one bus conversion at 12 bits (532 µs each, 586 µs at most).
    static let firstConversion: Duration = .microseconds(1_200)

    let bus: any I2CBus
    public let address: UInt8
    public let settings: Settings

    /// Writes the configuration and calibration, reads both back (a chip that does not keep
    /// them is not an INA219: `unsupported`) and waits for the first conversion.
    public init(bus: any I2CBus, address: UInt8, settings: Settings, delay: any BlockingDelay) throws {
        self.bus = bus
        self.address = address
        self.settings = settings
        if let problem = settings.problem {
            throw HardwareError(.unsupported, operation: "calibrate", device: bus.deviceName(address), message: problem)
        }
        let calibration = UInt16(settings.calibration)
        try writeRegister(Register.configuration, settings.configuration)
        try writeRegister(Register.calibration, calibration)
        let readBack = (try readRegister(Register.configuration), try readRegister(Register.calibration))
        guard readBack == (settings.configuration, calibration) else {
            throw HardwareError(
                .unsupported, operation: "check configuration", device: bus.deviceName(address),
                message: "wrote configuration 0x\(String(settings.configuration, radix: 16)) and calibration 0x\(String(calibration, radix: 16)), "
                    + "read 0x\(String(readBack.0, radix: 16)) and 0x\(String(readBack.1, radix: 16)): not an INA219?")
        }
        delay.wait(Self.firstConversion)
    }

    /// The latest conversion. A math overflow (a current beyond `maxCurrent`) is an error:
    /// the chip's current and power would be meaningless.
    public func measure() throws -> Measurement {
        let busRegister = try readRegister(Register.bus)
        guard busRegister & 0b1 == 0 else {
            throw HardwareError(
                .io, operation: "read current", device: bus.deviceName(address),
                message: "math overflow: the current is beyond max_current_a (\(settings.maxCurrentAmperes) A)")
        }
        let shunt = Int16(bitPattern: try readRegister(Register.shunt))
        let current = Int16(bitPattern: try readRegister(Register.current))
        let power = try readRegister(Register.power)
        return Measurement(
            busVolts: Double(busRegister >> 3) * 4 / 1000,
            shuntMillivolts: Double(shunt) / 100,
            currentAmperes: Self.rounded(Double(current) * settings.currentLSB),
            powerWatts: Self.rounded(Double(power) * settings.powerLSB))
    }

    /// Nine significant decimals at most: drops the binary noise of the LSB products.
    static func rounded(_ value: Double) -> Double {
        (value * 1e9).rounded() / 1e9
    }

    func readRegister(_ register: UInt8) throws -> UInt16 {
        try bus.readWord(address: address, register: register).byteSwapped
    }

    func writeRegister(_ register: UInt8, _ value: UInt16) throws {
        try bus.writeWord(address: address, register: register, value: value.byteSwapped)
    }
}
