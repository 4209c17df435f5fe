/// The kernel's two sensor subsystems: IIO (`/sys/bus/iio/devices/iio:deviceN`) and hwmon
/// (`/sys/class/hwmon/hwmonN`). Between them they have drivers for hundreds of chips, bound on
/// a Pi by a `dtoverlay=i2c-sensor,…` line.
public enum KernelSensorSubsystem: String, Sendable, Hashable, CaseIterable {
    case iio
    case hwmon
}

/// Which kernel sensor device a component wants: its subsystem, its kernel name (the device's
/// `name` file, e.g. `bme280`, `lm75`) and, when several share a name, the I2C bus and address
/// the kernel bound it to.
public struct KernelSensorSelector: Sendable, Hashable, CustomStringConvertible {
    public let subsystem: KernelSensorSubsystem
    /// The device's kernel name, as in its `name` file.
    public let name: String
    /// The I2C bus the device sits on (`/dev/i2c-N`), if the board says.
    public let i2cBus: Int?
    /// Its I2C address, if the board says (only with `i2cBus`).
    public let address: UInt8?

    public init(subsystem: KernelSensorSubsystem, name: String, i2cBus: Int? = nil, address: UInt8? = nil) {
        self.subsystem = subsystem
        self.name = name
        self.i2cBus = i2cBus
        self.address = address
    }

    /// `iio device 'bme280' on i2c-1 address 0x77`.
    public var description: String {
        var text = "\(subsystem.rawValue) device '\(name)'"
        if let i2cBus {
            text += " on i2c-\(i2cBus)"
            if let address { text += " address 0x\(String(address, radix: 16))" }
        }
        return text
    }

    /// Whether a device with this name found at this I2C location is the one wanted.
    public func matches(name: String, i2cBus: Int?, address: UInt8?) -> Bool {
        guard name == self.name else { return false }
        if let wanted = self.i2cBus, wanted != i2cBus { return false }
        if let wanted = self.address, wanted != address { return false }
        return true
    }
}

/// What a channel measures, with the SI unit (or the unit the quantity is always given in)
/// of the values the HAL returns for it.
public enum SensorQuantity: String, Sendable, Hashable, CaseIterable {
    case temperature, humidity, pressure, voltage, current, power, energy, capacitance
    case acceleration, angularVelocity = "angular_velocity", magneticField = "magnetic_field", angle
    case illuminance, distance, resistance, concentration, fanSpeed = "fan_speed"
    /// Proximity, light intensity, UV index: numbers on the device's own scale.
    case dimensionless

    /// The unit of converted values, as `Constraints(unit:)` publishes it; nil for a
    /// dimensionless quantity.
    public var unit: String? {
        switch self {
        case .temperature: "degC"
        case .humidity: "%RH"
        case .pressure: "hPa"
        case .voltage: "V"
        case .current: "A"
        case .power: "W"
        case .energy: "J"
        case .capacitance: "F"
        case .acceleration: "m/s^2"
        case .angularVelocity: "rad/s"
        case .magneticField: "T"
        case .angle: "rad"
        case .illuminance: "lx"
        case .distance: "m"
        case .resistance: "ohm"
        case .concentration: "%"
        case .fanSpeed: "rpm"
        case .dimensionless: nil
        }
    }
}

/// One value a kernel sensor device offers, named as iotoyd mounts it.
public struct KernelSensorChannel: Sendable, Hashable, CustomStringConvertible {
    /// The attribute name: `temperature`, `pressure`, `voltage0`, `acceleration_x`,
    /// `temperature1` (hwmon's `temp1`).
    public let name: String
    public let quantity: SensorQuantity
    /// The sysfs file(s) the value comes from, for help texts and `iotoyd probe`
    /// (`in_temp_input`, `in_voltage0_raw × in_voltage_scale`).
    public let source: String

    public init(name: String, quantity: SensorQuantity, source: String) {
        self.name = name
        self.quantity = quantity
        self.source = source
    }

    /// `temperature (degC, in_temp_input)`.
    public var description: String {
        "\(name) (\(quantity.unit.map { "\($0), " } ?? "")\(source))"
    }
}

/// Finds kernel sensor devices: sysfs on Linux, settable models in the simulator.
public protocol KernelSensorProvider: Sendable {
    /// Opens the device the selector names, or throws `notFound` naming what was looked for
    /// (and, when another device of that name exists elsewhere, where it is).
    func open(_ selector: KernelSensorSelector) throws(HardwareError) -> any KernelSensorDevice
}

/// An opened kernel sensor device. Reads block (a driver may start a conversion and wait
/// for it): call them on an owner thread only.
public protocol KernelSensorDevice: Sendable {
    /// A name for errors and logs: `iio:device0 (bme280 on i2c-1 address 0x77)`.
    var name: String { get }
    /// Every channel the device offers, in a stable order.
    var channels: [KernelSensorChannel] { get }
    /// Reads a channel and converts it to its quantity's unit.
    func read(_ channel: KernelSensorChannel) throws(HardwareError) -> Double
}

extension KernelSensorSelector {
    /// The one device among `devices` (each with its kernel name and I2C location) that this
    /// selector names. Throws `notFound` naming what was looked for and what there is instead:
    /// none of that name (`missing` says what to check), one elsewhere, or several that only
    /// an I2C bus and address would tell apart.
    public func choose<Device>(
        among devices: [Device], name: (Device) -> String, i2cBus: (Device) -> Int?, address: (Device) -> UInt8?,
        location: (Device) -> String, missing: String
    ) throws(HardwareError) -> Device {
        let named = devices.filter { name($0) == self.name }
        let matching = named.filter { matches(name: name($0), i2cBus: i2cBus($0), address: address($0)) }
        if matching.count == 1 { return matching[0] }
        let message = if matching.count > 1 {
            "\(matching.count) devices match (\(matching.map(location).joined(separator: "; "))): name one by i2c and address"
        } else if named.isEmpty {
            "the kernel has no \(subsystem.rawValue) device of that name (\(missing))"
        } else {
            "not there, but elsewhere: \(named.map(location).joined(separator: "; "))"
        }
        throw HardwareError(.notFound, operation: "find", device: description, message: message)
    }
}
