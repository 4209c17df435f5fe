import IOToyCore
import IOToyHAL
import Synchronization

/// `iio` and `hwmon`: a sensor the Linux kernel has a driver for, mounted as a directory of
/// its channels (`temperature` in °C, `pressure` in hPa, `voltage0` in V…), sampled every
/// poll interval. The channels are what the device offers when it is found, so they are
/// published at each start (``hasDynamicEndpoints``): the board need not know them, and a
/// device whose driver binds late (or again) is found by the supervisor's retries.
public final class KernelSensor: Component {
    /// A channel the board asks for, and the attribute name it is mounted under.
    public struct ChannelChoice: Sendable, Hashable {
        public let channel: String
        public let attribute: String

        public init(channel: String, attribute: String) {
            self.channel = channel
            self.attribute = attribute
        }
    }

    /// What the board file says about the sensor.
    public struct Configuration: Sendable, Hashable {
        public var selector: KernelSensorSelector
        public var pollInterval: Duration = .milliseconds(1000)
        /// The channels to mount, in this order; nil mounts every channel under its own name.
        public var channels: [ChannelChoice]?
        public var help: String

        public init(selector: KernelSensorSelector) {
            self.selector = selector
            help = "Kernel \(selector.subsystem.rawValue) sensor \(selector.name)"
        }
    }

    private struct Mounted: Sendable {
        let device: any KernelSensorDevice
        let channels: [(attribute: String, channel: KernelSensorChannel)]
    }

    private let provider: any KernelSensorProvider
    private let configuration: Configuration
    private let state = Mutex<Mounted?>(nil)
    private let published = Mutex<[Endpoint]>([])

    public init(provider: any KernelSensorProvider, configuration: Configuration) {
        self.provider = provider
        self.configuration = configuration
    }

    public var endpoints: [Endpoint] { published.withLock { $0 } }
    public var hasDynamicEndpoints: Bool { true }
    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    public func start() throws {
        stop()
        let device = try provider.open(configuration.selector)
        let offered = device.channels
        var chosen: [(attribute: String, channel: KernelSensorChannel)] = []
        if let choices = configuration.channels {
            for choice in choices {
                guard let channel = offered.first(where: { $0.name == choice.channel }) else {
                    throw HardwareError(
                        .notFound, operation: "find channel '\(choice.channel)'", device: device.name,
                        message: "it has " + (offered.isEmpty ? "no channels" : offered.map(\.name).joined(separator: ", ")))
                }
                chosen.append((choice.attribute, channel))
            }
        } else {
            chosen = offered.map { ($0.name, $0) }
        }
        let endpoints = chosen.map { attribute, channel in
            Endpoint([attribute], .attribute(AttributeInfo(
                type: .float, help: Self.help(channel, device: device.name), constraints: Constraints(unit: channel.quantity.unit),
                writable: false, sampled: true)))
        }
        state.withLock { $0 = Mounted(device: device, channels: chosen) }
        published.withLock { $0 = endpoints }
    }

    public func read(_ path: [String]) throws -> Value {
        guard let mounted = state.withLock({ $0 }) else { throw notStarted(configuration.help) }
        guard path.count == 1, let entry = mounted.channels.first(where: { $0.attribute == path[0] }) else {
            throw ComponentError(.noSuchResource, "no such attribute")
        }
        return .float(try mounted.device.read(entry.channel))
    }

    public func sample() throws -> [[String]: Value] {
        guard let mounted = state.withLock({ $0 }) else { throw notStarted(configuration.help) }
        var values: [[String]: Value] = [:]
        for (attribute, channel) in mounted.channels {
            values[[attribute]] = .float(try mounted.device.read(channel))
        }
        return values
    }

    public func stop() {
        state.withLock { $0 = nil }
    }

    /// `Temperature in degC, from in_temp_input of iio:device0 (bme280 on i2c-1 address 0x77)`.
    static func help(_ channel: KernelSensorChannel, device: String) -> String {
        let what = channel.quantity.rawValue.split(separator: "_").joined(separator: " ")
        let unit = channel.quantity.unit.map { " in \($0)" } ?? " (the device's own scale)"
        return what.prefix(1).uppercased() + what.dropFirst() + unit + ", from \(channel.source) of \(device)"
    }
}
