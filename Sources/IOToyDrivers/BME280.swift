import IOToyCore
import IOToyHAL
import Synchronization

/// `bme280`: a Bosch BME280 on I2C, a directory of three sampled attributes:
/// `temperature` (°C), `pressure` (hPa) and `humidity` (%RH). The registers are
/// ``BME280Chip``'s; this component opens the bus and presents the measurements.
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

    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, chip: BME280Chip?)>((nil, nil))

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

    public func start() throws {
        stop()
        let bus = try i2c.openBus(configuration.bus)
        do {
            let chip = try BME280Chip(bus: bus, address: configuration.address, delay: delay)
            state.withLock { $0 = (bus, chip) }
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
        guard let chip = state.withLock({ $0.chip }) else { throw notStarted(configuration.help) }
        let measurement = try chip.measure()
        return [
            ["temperature"]: .float(measurement.temperatureCelsius),
            ["pressure"]: .float(measurement.pressureHectopascals),
            ["humidity"]: .float(measurement.humidityPercent),
        ]
    }

    public func stop() {
        state.withLock { state in
            state.bus?.close()
            state = (nil, nil)
        }
    }
}
