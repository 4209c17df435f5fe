import IOToyCore
import IOToyHAL
import Synchronization

/// `bme280`: a Bosch BME280 on I2C, a directory of three sampled attributes:
/// `temperature` (°C), `pressure` (hPa) and `humidity` (%RH).
///
/// Each sample is one forced-mode conversion (oversampling ×1, filter off): write
/// `ctrl_hum`, then `ctrl_meas`, wait the datasheet's maximum conversion time, check the
/// status register, burst-read the eight data bytes, compensate.
public final class BME280: Component {
    /// What the board file says about the sensor.
    public struct Configuration: Sendable, Hashable {
        public var bus: Int
        public var address: UInt8 = 0x76
        public var pollInterval: Duration = .milliseconds(1000)
        public var help = "BME280 temperature, pressure and humidity sensor"

        public init(bus: Int) {
            self.bus = bus
        }
    }

    static let chipID: UInt8 = 0x60
    /// t_measure,max for ×1 oversampling of all three: 1.25 + 2.3 + 2.875 + 2.875 ms.
    static let conversionTime: Duration = .microseconds(9_300)

    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, compensation: BME280Compensation?)>((nil, nil))

    public init(i2c: any I2CProvider, delay: any BlockingDelay, configuration: Configuration) {
        self.i2c = i2c
        self.delay = delay
        self.configuration = configuration
    }

    public var endpoints: [Endpoint] {
        [
            Endpoint(["temperature"], .attribute(AttributeInfo(
                type: .float, help: "Temperature in degrees Celsius", constraints: Constraints(unit: "degC"),
                writable: false, sampled: true))),
            Endpoint(["pressure"], .attribute(AttributeInfo(
                type: .float, help: "Air pressure in hectopascals", constraints: Constraints(unit: "hPa"),
                writable: false, sampled: true))),
            Endpoint(["humidity"], .attribute(AttributeInfo(
                type: .float, help: "Relative humidity in percent", constraints: Constraints(unit: "%RH"),
                writable: false, sampled: true))),
        ]
    }

    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    private var address: UInt8 { configuration.address }

    public func start() throws {
        stop()
        let bus = try i2c.openBus(configuration.bus)
        do {
            let id = try bus.readByte(address: address, register: 0xD0)
            guard id == BME280.chipID else {
                let known = [0x58: " (a BMP280: no humidity)", 0x56: " (a BMP280 sample)", 0x57: " (a BMP280 sample)"]
                throw HardwareError(
                    .unsupported, operation: "read chip id", device: bus.deviceName(address),
                    message: "chip id 0x\(String(id, radix: 16))\(known[Int(id)] ?? ""), expected 0x60")
            }
            var block88 = try bus.readBlock(address: address, register: 0x88, count: 24)
            block88 += [0, try bus.readByte(address: address, register: 0xA1)]
            let blockE1 = try bus.readBlock(address: address, register: 0xE1, count: 7)
            try bus.writeByte(address: address, register: 0xF5, value: 0)   // filter off, standby 0.5 ms
            state.withLock { $0 = (bus, BME280Compensation(block88: block88, blockE1: blockE1)) }
        } catch {
            bus.close()
            throw error
        }
    }

    public func read(_ path: [String]) throws -> Value {
        guard let name = path.first, let value = try sample()[[name]] else {
            throw ComponentError(.noSuchResource, "no such attribute")
        }
        return value
    }

    public func sample() throws -> [[String]: Value] {
        let (maybeBus, maybeCompensation) = state.withLock { ($0.bus, $0.compensation) }
        guard let bus = maybeBus, let compensation = maybeCompensation else { throw notStarted(configuration.help) }
        try bus.writeByte(address: address, register: 0xF2, value: 0b001)            // humidity ×1
        try bus.writeByte(address: address, register: 0xF4, value: 0b001_001_01)     // T ×1, P ×1, forced
        delay.wait(BME280.conversionTime)
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
        return [
            ["temperature"]: .float(Double(centiCelsius) / 100),
            ["pressure"]: .float((Double(pressureQ8) / 256 / 100 * 10_000).rounded() / 10_000),
            ["humidity"]: .float((Double(humidityQ10) / 1024 * 1000).rounded() / 1000),
        ]
    }

    public func stop() {
        state.withLock { state in
            state.bus?.close()
            state = (nil, nil)
        }
    }
}
