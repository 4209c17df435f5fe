import IOToyCore
import IOToyHAL
import Synchronization

/// `mpu6050`: an InvenSense MPU-6050 IMU on I2C, a directory of sampled attributes:
/// `acceleration` (g, a json `{x, y, z}`) with `acceleration_x/_y/_z` (floats),
/// `angular_rate` (°/s, the same shape) with `angular_rate_x/_y/_z`, and `temperature` (°C).
/// All come from one burst read per sample. The registers are ``MPU6050Chip``'s.
public final class MPU6050: Component {
    /// What the board file says about the IMU.
    public struct Configuration: Sendable, Hashable {
        public var bus: Int
        public var address: UInt8 = 0x68
        public var settings = MPU6050Chip.Settings()
        public var pollInterval: Duration = .milliseconds(100)
        public var help = "MPU-6050 accelerometer, gyroscope and thermometer"

        public init(bus: Int) {
            self.bus = bus
        }
    }

    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, chip: MPU6050Chip?)>((nil, nil))

    public init(i2c: any I2CProvider, delay: any BlockingDelay, configuration: Configuration) {
        self.i2c = i2c
        self.delay = delay
        self.configuration = configuration
    }

    public var endpoints: [Endpoint] {
        let g = Double(configuration.settings.accelerationRange.rawValue)
        let dps = Double(configuration.settings.angularRateRange.rawValue)
        func vector(_ name: String, _ what: String, _ unit: String, _ range: Double) -> [Endpoint] {
            [Endpoint([name], .attribute(AttributeInfo(
                type: .json, help: "\(what) as {x, y, z} in \(unit)", constraints: Constraints(unit: unit),
                writable: false, sampled: true)))]
                + ["x", "y", "z"].map { axis in
                    Endpoint(["\(name)_\(axis)"], .attribute(AttributeInfo(
                        type: .float, help: "\(what) along \(axis) in \(unit)",
                        constraints: Constraints(min: -range, max: range, unit: unit), writable: false, sampled: true)))
                }
        }
        return vector("acceleration", "Acceleration", "g", g)
            + vector("angular_rate", "Angular rate", "deg/s", dps)
            + [Endpoint(["temperature"], .attribute(AttributeInfo(
                type: .float, help: "Die temperature in degrees Celsius", constraints: Constraints(unit: "degC"),
                writable: false, sampled: true)))]
    }

    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    public func start() throws {
        stop()
        let bus = try i2c.openBus(configuration.bus)
        do {
            let chip = try MPU6050Chip(bus: bus, address: configuration.address, settings: configuration.settings, delay: delay)
            state.withLock { $0 = (bus, chip) }
        } catch {
            bus.close()
            throw error
        }
    }

    public func read(_ path: [String]) throws -> Value {
        guard path.count == 1, let value = try sample()[path] else {
            throw ComponentError(.noSuchResource, "no such attribute")
        }
        return value
    }

    public func sample() throws -> [[String]: Value] {
        guard let chip = state.withLock({ $0.chip }) else { throw notStarted(configuration.help) }
        let measurement = try chip.measure()
        var values: [[String]: Value] = [["temperature"]: .float(measurement.temperatureCelsius)]
        for (name, axes) in [("acceleration", measurement.acceleration), ("angular_rate", measurement.angularRate)] {
            values[[name]] = .json(.object(["x": .double(axes.x), "y": .double(axes.y), "z": .double(axes.z)]))
            values[[name + "_x"]] = .float(axes.x)
            values[[name + "_y"]] = .float(axes.y)
            values[[name + "_z"]] = .float(axes.z)
        }
        return values
    }

    public func stop() {
        state.withLock { state in
            state.bus?.close()
            state = (nil, nil)
        }
    }
}
