import IOToyHAL

/// What `iotoyd probe` found on the machine: everything a person needs before writing a
/// board file (chip labels and line names, answering I2C addresses, pwmchips, serial ports,
/// the kernel's IIO and hwmon sensors with their channels).
public struct ProbeReport: Sendable, Hashable {
    /// A GPIO chip with its lines.
    public struct GPIOChipEntry: Sendable, Hashable {
        public let name: String
        public let label: String
        public let path: String
        public let lines: [GPIOLineInfo]
        /// Why the chip or its lines could not be read, if so.
        public let error: String?
    }

    /// An I2C bus and the addresses that answered.
    public struct I2CBusEntry: Sendable, Hashable {
        public let number: Int
        /// The adapter's name from sysfs (e.g. `bcm2835 (i2c@7e804000)`), empty if unknown.
        public let adapter: String
        public let path: String
        /// Addresses that acknowledged a probe; nil when the bus was not scanned.
        public let answering: [UInt8]?
        /// Addresses a kernel driver holds (`UU` in i2cdetect); not probed.
        public let heldByDriver: [UInt8]
        public let error: String?
    }

    /// A pwmchip.
    public struct PWMChipEntry: Sendable, Hashable {
        public let name: String
        public let channelCount: Int?
        /// The device behind the chip (e.g. `fe20c000.pwm`), from the `device` link.
        public let device: String
        /// Channels exported at the moment.
        public let exported: [Int]
        public let error: String?
    }

    /// A serial port, by its stable path when it has one.
    public struct SerialPortEntry: Sendable, Hashable {
        /// `/dev/serial/by-id/…`, `/dev/serial0`, or the tty itself.
        public let path: String
        /// The tty the path leads to, when `path` is a link.
        public let tty: String?
    }

    /// A kernel IIO or hwmon device with its channels and what each read when probed.
    public struct KernelSensorEntry: Sendable, Hashable {
        /// A channel and its converted value, or why it could not be read.
        public struct Reading: Sendable, Hashable {
            public let channel: KernelSensorChannel
            public let value: Double?
            public let error: String?
        }

        public let subsystem: KernelSensorSubsystem
        /// `iio:device0`, `hwmon2`.
        public let sysfsName: String
        /// The device's `name` file (`bme280`).
        public let kernelName: String
        public let i2cBus: Int?
        public let address: UInt8?
        public let readings: [Reading]
    }

    /// The libgpiod this build uses, e.g. `libgpiod 1.6.3, API v1`.
    public let gpioLibrary: String
    public let gpioChips: [GPIOChipEntry]
    public let i2cBuses: [I2CBusEntry]
    public let pwmChips: [PWMChipEntry]
    public let serialPorts: [SerialPortEntry]
    /// IIO devices, then hwmon devices.
    public let kernelSensors: [KernelSensorEntry]
}
