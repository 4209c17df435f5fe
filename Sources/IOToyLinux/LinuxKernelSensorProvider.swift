import IOToyHAL

/// The kernel's IIO and hwmon devices through sysfs: `<root>/bus/iio/devices/iio:deviceN` and
/// `<root>/class/hwmon/hwmonN`, each with its `name` file and, for a chip on I2C, a link
/// through its I2C client (`…/i2c-1/1-0077/iio:device0`). The root is injectable so tests can
/// point it at a tree of their own.
public struct LinuxKernelSensorProvider: KernelSensorProvider {
    /// `/sys`.
    public let sysRoot: String

    public init(sysRoot: String = "/sys") {
        self.sysRoot = sysRoot
    }

    /// Every device of `subsystem`, in the kernel's order (iio:device0, iio:device1, …).
    public func devices(_ subsystem: KernelSensorSubsystem) -> [LinuxKernelSensorDevice] {
        let (directory, prefix) = switch subsystem {
        case .iio: ("\(sysRoot)/bus/iio/devices", "iio:device")
        case .hwmon: ("\(sysRoot)/class/hwmon", "hwmon")
        }
        let entries = (try? SysfsFile.entries(directory)) ?? []
        return entries.filter { $0.hasPrefix(prefix) && Int($0.dropFirst(prefix.count)) != nil }.map { entry in
            let path = "\(directory)/\(entry)"
            let name = (try? SysfsFile.read("\(path)/name")) ?? ""
            let location = SysfsFile.linkTarget(path).flatMap(Self.i2cLocation(inLinkTarget:))
            let files = (try? SysfsFile.entries(path)) ?? []
            let channels = switch subsystem {
            case .iio: IIOChannelCatalog.channels(files: files)
            case .hwmon: HWMonChannelCatalog.channels(files: files)
            }
            return LinuxKernelSensorDevice(
                subsystem: subsystem, sysfsName: entry, path: path, kernelName: name,
                i2cBus: location?.bus, address: location?.address, plans: channels)
        }
    }

    public func open(_ selector: KernelSensorSelector) throws(HardwareError) -> any KernelSensorDevice {
        try selector.choose(
            among: devices(selector.subsystem), name: \.kernelName, i2cBus: \.i2cBus, address: \.address, location: \.location,
            missing: "is its driver loaded and bound to the chip, e.g. by a dtoverlay line in config.txt?")
    }

    /// The bus and address of the I2C client a sysfs link passes through: the last path
    /// component shaped `<bus>-<4 hex digits>` (`1-0077`).
    static func i2cLocation(inLinkTarget target: String) -> (bus: Int, address: UInt8)? {
        for component in target.split(separator: "/").reversed() {
            let parts = component.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 4, let bus = Int(parts[0]), bus >= 0,
                  let address = UInt16(parts[1], radix: 16), address <= 0x7f else { continue }
            return (bus, UInt8(address))
        }
        return nil
    }
}

/// One IIO or hwmon device as sysfs shows it. Every read opens, reads and closes the channel's
/// files (sysfs values are made at read time), so nothing is held open between reads.
public struct LinuxKernelSensorDevice: KernelSensorDevice, Hashable {
    public let subsystem: KernelSensorSubsystem
    /// `iio:device0`, `hwmon2`.
    public let sysfsName: String
    /// The device's directory.
    public let path: String
    /// Its `name` file: the driver's name for the chip (`bme280`, `lm75`).
    public let kernelName: String
    public let i2cBus: Int?
    public let address: UInt8?
    let plans: [SysfsSensorChannel]

    public var channels: [KernelSensorChannel] { plans.map(\.channel) }

    /// `bme280 on i2c-1 address 0x77`, or just the name when it is not an I2C chip.
    public var location: String {
        guard let i2cBus else { return "\(kernelName) (\(sysfsName))" }
        return "\(kernelName) on i2c-\(i2cBus)" + (address.map { " address 0x\(String($0, radix: 16))" } ?? "")
    }

    /// `iio:device0 (bme280 on i2c-1 address 0x77)`.
    public var name: String {
        guard let i2cBus else { return "\(sysfsName) (\(kernelName))" }
        return "\(sysfsName) (\(kernelName) on i2c-\(i2cBus)" + (address.map { " address 0x\(String($0, radix: 16))" } ?? "") + ")"
    }

    public func read(_ channel: KernelSensorChannel) throws(HardwareError) -> Double {
        guard let plan = plans.first(where: { $0.channel.name == channel.name }) else {
            throw HardwareError(.notFound, operation: "read \(channel.name)", device: name, message: "no such channel")
        }
        return try plan.value { file throws(HardwareError) in
            let text = try SysfsFile.read("\(path)/\(file)", device: name)
            guard let number = Double(text), number.isFinite else {
                throw HardwareError(.io, operation: "read \(file)", device: name, message: "'\(text)' is not a number")
            }
            return number
        }
    }
}
