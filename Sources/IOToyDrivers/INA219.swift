import IOToyCore
import IOToyHAL
import Synchronization

/// `ina219`: a TI INA219 on I2C, a directory of four sampled `float` attributes:
/// `bus_voltage` (V), `shunt_voltage` (mV), `current` (A) and `power` (W). The registers and
/// the calibration are ``INA219Chip``'s; this component opens the bus and presents them.
public final class INA219: Component {
    /// What the board file says about the monitor.
    public struct Configuration: Sendable, Hashable {
        public var bus: Int
        public var address: UInt8 = 0x40
        public var settings = INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 3.2)
        public var pollInterval: Duration = .milliseconds(1000)
        public var help = "INA219 current and power monitor"

        public init(bus: Int) {
            self.bus = bus
        }
    }

    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, chip: INA219Chip?)>((nil, nil))

    public init(i2c: any I2CProvider, delay: any BlockingDelay, configuration: Configuration) {
        self.i2c = i2c
        self.delay = delay
        self.configuration = configuration
    }

    public var endpoints: [Endpoint] {
        let maxCurrent = configuration.settings.maxCurrentAmperes
        let shuntRangeMillivolts = 1000 * INA219Chip.Settings.shuntRangesVolts[configuration.settings.pga ?? 3]
        return [
            Endpoint(["bus_voltage"], .attribute(AttributeInfo(
                type: .float, help: "Bus voltage (IN− to GND) in volts", constraints: Constraints(min: 0, max: 32, unit: "V"),
                writable: false, sampled: true))),
            Endpoint(["shunt_voltage"], .attribute(AttributeInfo(
                type: .float, help: "Voltage across the \(configuration.settings.shuntOhms) Ω shunt in millivolts",
                constraints: Constraints(min: -shuntRangeMillivolts, max: shuntRangeMillivolts, unit: "mV"), writable: false, sampled: true))),
            Endpoint(["current"], .attribute(AttributeInfo(
                type: .float, help: "Current through the shunt in amperes (negative: flowing back)",
                constraints: Constraints(min: -maxCurrent, max: maxCurrent, unit: "A"), writable: false, sampled: true))),
            Endpoint(["power"], .attribute(AttributeInfo(
                type: .float, help: "Power delivered to the load in watts", constraints: Constraints(unit: "W"),
                writable: false, sampled: true))),
        ]
    }

    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    public func start() throws {
        stop()
        let bus = try i2c.openBus(configuration.bus)
        do {
            let chip = try INA219Chip(bus: bus, address: configuration.address, settings: configuration.settings, delay: delay)
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
        return [
            ["bus_voltage"]: .float(measurement.busVolts),
            ["shunt_voltage"]: .float(measurement.shuntMillivolts),
            ["current"]: .float(measurement.currentAmperes),
            ["power"]: .float(measurement.powerWatts),
        ]
    }

    public func stop() {
        state.withLock { state in
            state.bus?.close()
            state = (nil, nil)
        }
    }
}
