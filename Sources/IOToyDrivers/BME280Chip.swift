import IOToyHAL

/// The Bosch BME280 as a chip driver: it speaks the chip's registers over an I2C bus it does
/// not own and returns typed measurements (the `bme280` component presents them as IOTOY
/// attributes, periph.io's split of `devices` and what uses them).
///
/// Each measurement is one forced-mode conversion (oversampling ×1, filter off): write
/// `ctrl_hum`, then `ctrl_meas`, wait the datasheet's maximum conversion time, check the
/// status register, burst-read the eight data bytes, compensate.
public struct BME280Chip: Sendable {
    /// One compensated measurement.
    public struct Measurement: Sendable, Hashable {
        public let temperatureCelsius: Double
        public let pressureHectopascals: Double
        public let humidityPercent: Double
    }

    /// The value of the `id` register (0xD0) of a BME280.
    public static let chipID: UInt8 = 0x60
    /// t_measure,max for ×1 oversampling of all three: 1.25 + 2.3 + 2.875 + 2.875 ms.
    static let conversionTime: Duration = .microseconds(9_300)

    let bus: any I2CBus
    public let address: UInt8
    let delay: any BlockingDelay
    let compensation: BME280Compensation

    /// Checks the chip id (a wrong one is `unsupported`, naming the id found), reads the
    /// calibration and sets the filter off.
    public init(bus: any I2CBus, address: UInt8, delay: any BlockingDelay) throws {
        let id = try bus.readByte(address: address, register: 0xD0)
        guard id == Self.chipID else {
            let known = [0x58: " (a BMP280: no humidity)", 0x56: " (a BMP280 sample)", 0x57: " (a BMP280 sample)"]
            throw HardwareError(
                .unsupported, operation: "read chip id", device: bus.deviceName(address),
                message: "chip id 0x\(String(id, radix: 16))\(known[Int(id)] ?? ""), expected 0x60")
        }
        var block88 = try bus.readBlock(address: address, register: 0x88, count: 24)
        block88 += [0, try bus.readByte(address: address, register: 0xA1)]
        let blockE1 = try bus.readBlock(address: address, register: 0xE1, count: 7)
        try bus.writeByte(address: address, register: 0xF5, value: 0)   // filter off, standby 0.5 ms
        self.bus = bus
        self.address = address
        self.delay = delay
        compensation = BME280Compensation(block88: block88, blockE1: blockE1)
    }

    /// One forced-mode conversion, compensated.
    public func measure() throws -> Measurement {
        try bus.writeByte(address: address, register: 0xF2, value: 0b001)            // humidity ×1
        try bus.writeByte(address: address, register: 0xF4, value: 0b001_001_01)     // T ×1, P ×1, forced
        delay.wait(Self.conversionTime)
        var status = try bus.readByte(address: address, register: 0xF3)
        for _ in 0..<10 where status & 0b1000 != 0 {
            delay.wait(.milliseconds(1))
            status = try bus.readByte(address: address, register: 0xF3)
        }
        guard status & 0b1000 == 0 else {
            throw HardwareError(.timeout, operation: "wait for conversion", device: bus.deviceName(address))
        }
        let data = try bus.readBlock(address: address, register: 0xF7, count: 8)
        let adcP = Int(data[0]) << 12 | Int(data[1]) << 4 | Int(data[2]) >> 4
        let adcT = Int(data[3]) << 12 | Int(data[4]) << 4 | Int(data[5]) >> 4
        let adcH = Int(data[6]) << 8 | Int(data[7])
        guard adcT != 0x80000, adcP != 0x80000, adcH != 0x8000 else {
            throw HardwareError(.io, operation: "read measurement", device: bus.deviceName(address),
                                message: "the chip reported a skipped measurement")
        }
        let (centiCelsius, tFine) = compensation.temperature(adc: adcT)
        let pressureQ8 = compensation.pressure(adc: adcP, tFine: tFine)
        let humidityQ10 = compensation.humidity(adc: adcH, tFine: tFine)
        return Measurement(
            temperatureCelsius: Double(centiCelsius) / 100,
            pressureHectopascals: (Double(pressureQ8) / 256 / 100 * 10_000).rounded() / 10_000,
            humidityPercent: (Double(humidityQ10) / 1024 * 1000).rounded() / 1000)
    }
}
