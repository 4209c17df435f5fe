import IOToyHAL

/// The InvenSense MPU-6050 IMU as a chip driver, over an I2C bus it does not own.
///
/// Start: check WHO_AM_I (0x75 reads 0x68; anything else is `unsupported`, naming the id
/// found), reset the chip (PWR_MGMT_1 bit 7, then the 100 ms the register map asks for), wake
/// it on the X gyro's PLL, set the digital low-pass filter (CONFIG), the gyro range
/// (GYRO_CONFIG) and the accelerometer range (ACCEL_CONFIG). A measurement is one burst read
/// of the 14 data bytes from ACCEL_XOUT_H (0x3B), big-endian, scaled by the datasheet's
/// sensitivities; temperature is `raw / 340 + 36.53` °C.
public struct MPU6050Chip: Sendable {
    /// A vector in the chip's axes.
    public struct Axes: Sendable, Hashable {
        public let x: Double
        public let y: Double
        public let z: Double
    }

    /// One burst read, scaled.
    public struct Measurement: Sendable, Hashable {
        /// g (9.81 m/s²).
        public let acceleration: Axes
        /// Degrees per second.
        public let angularRate: Axes
        public let temperatureCelsius: Double
    }

    /// The accelerometer's full-scale range, ±g.
    public enum AccelerationRange: Int, Sendable, Hashable, CaseIterable {
        case g2 = 2, g4 = 4, g8 = 8, g16 = 16

        /// AFS_SEL (ACCEL_CONFIG bits 4:3).
        var bits: UInt8 { UInt8(AccelerationRange.allCases.firstIndex(of: self)!) }
        /// LSB per g: 16384 at ±2 g, halving with each doubling.
        public var countsPerG: Double { 32768 / Double(rawValue) }
    }

    /// The gyroscope's full-scale range, ±°/s.
    public enum AngularRateRange: Int, Sendable, Hashable, CaseIterable {
        case dps250 = 250, dps500 = 500, dps1000 = 1000, dps2000 = 2000

        /// FS_SEL (GYRO_CONFIG bits 4:3).
        var bits: UInt8 { UInt8(AngularRateRange.allCases.firstIndex(of: self)!) }
        /// LSB per °/s, as the datasheet tabulates them: 131, 65.5, 32.8, 16.4.
        public var countsPerDegreePerSecond: Double {
            switch self {
            case .dps250: 131
            case .dps500: 65.5
            case .dps1000: 32.8
            case .dps2000: 16.4
            }
        }
    }

    /// The digital low-pass filter, by the accelerometer's bandwidth in Hz (the gyro's is
    /// within a few Hz: 256, 188, 98, 42, 20, 10, 5).
    public enum LowPassFilter: Int, Sendable, Hashable, CaseIterable {
        case hz260 = 260, hz184 = 184, hz94 = 94, hz44 = 44, hz21 = 21, hz10 = 10, hz5 = 5

        /// DLPF_CFG (CONFIG bits 2:0).
        var bits: UInt8 { UInt8(LowPassFilter.allCases.firstIndex(of: self)!) }
    }

    /// The settings the board file chooses.
    public struct Settings: Sendable, Hashable {
        public var accelerationRange: AccelerationRange = .g2
        public var angularRateRange: AngularRateRange = .dps250
        public var lowPassFilter: LowPassFilter = .hz44

        public init() {}
    }

    /// Register addresses.
    enum Register {
        static let sampleRateDivider: UInt8 = 0x19
        static let config: UInt8 = 0x1A
        static let gyroConfig: UInt8 = 0x1B
        static let accelConfig: UInt8 = 0x1C
        static let data: UInt8 = 0x3B
        static let powerManagement1: UInt8 = 0x6B
        static let whoAmI: UInt8 = 0x75
    }

    /// What WHO_AM_I reads on an MPU-6050.
    public static let chipID: UInt8 = 0x68
    /// How long a device reset takes (register map, PWR_MGMT_1).
    static let resetTime: Duration = .milliseconds(100)
    /// Gyro start-up after waking (datasheet: 30 ms typical).
    static let wakeTime: Duration = .milliseconds(30)

    let bus: any I2CBus
    public let address: UInt8
    public let settings: Settings

    public init(bus: any I2CBus, address: UInt8, settings: Settings, delay: any BlockingDelay) throws {
        let id = try bus.readByte(address: address, register: Register.whoAmI)
        guard id == Self.chipID else {
            let known: [UInt8: String] = [0x70: " (an MPU-6500)", 0x71: " (an MPU-9250)", 0x73: " (an MPU-9255)", 0x98: " (an ICM-20689)", 0x12: " (an ICM-20602)"]
            throw HardwareError(
                .unsupported, operation: "read WHO_AM_I", device: bus.deviceName(address),
                message: "chip id 0x\(String(id, radix: 16))\(known[id] ?? ""), expected 0x68 (an MPU-6050)")
        }
        try bus.writeByte(address: address, register: Register.powerManagement1, value: 0x80)   // device reset
        delay.wait(Self.resetTime)
        try bus.writeByte(address: address, register: Register.powerManagement1, value: 0x01)   // awake, PLL on X gyro
        try bus.writeByte(address: address, register: Register.sampleRateDivider, value: 0)
        try bus.writeByte(address: address, register: Register.config, value: settings.lowPassFilter.bits)
        try bus.writeByte(address: address, register: Register.gyroConfig, value: settings.angularRateRange.bits << 3)
        try bus.writeByte(address: address, register: Register.accelConfig, value: settings.accelerationRange.bits << 3)
        delay.wait(Self.wakeTime)
        self.bus = bus
        self.address = address
        self.settings = settings
    }

    /// One burst read of the 14 data bytes, scaled.
    public func measure() throws -> Measurement {
        let data = try bus.readBlock(address: address, register: Register.data, count: 14)
        let raw = (0..<7).map { Double(Int16(bitPattern: UInt16(data[2 * $0]) << 8 | UInt16(data[2 * $0 + 1]))) }
        let g = settings.accelerationRange.countsPerG
        let dps = settings.angularRateRange.countsPerDegreePerSecond
        return Measurement(
            acceleration: Axes(x: raw[0] / g, y: raw[1] / g, z: raw[2] / g),
            angularRate: Axes(x: Self.rounded(raw[4] / dps), y: Self.rounded(raw[5] / dps), z: Self.rounded(raw[6] / dps)),
            temperatureCelsius: Self.rounded(raw[3] / 340 + 36.53))
    }

    /// Four decimals: below the gyro's and the thermometer's resolution, above binary noise.
    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
