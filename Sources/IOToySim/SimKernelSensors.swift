import IOToyCore
import IOToyHAL
import Synchronization

/// A simulated IIO or hwmon device: the channels the kernel's driver for the chip offers,
/// already in SI units, with values a test (or `--simulate`'s defaults) sets. Reads can be
/// made to fail, as a kernel driver's do when its chip stops answering.
public final class SimKernelSensorDevice: KernelSensorDevice {
    public let subsystem: KernelSensorSubsystem
    public let kernelName: String
    public let i2cBus: Int?
    public let address: UInt8?
    public let channels: [KernelSensorChannel]
    private let state: Mutex<(values: [String: Double], failure: Int32?, reads: Int)>

    /// A device offering `channels` with their starting values.
    public init(
        subsystem: KernelSensorSubsystem, kernelName: String, i2cBus: Int? = nil, address: UInt8? = nil,
        channels: [(KernelSensorChannel, Double)]
    ) {
        self.subsystem = subsystem
        self.kernelName = kernelName
        self.i2cBus = i2cBus
        self.address = address
        self.channels = channels.map(\.0)
        state = Mutex((Dictionary(channels.map { ($0.0.name, $0.1) }, uniquingKeysWith: { first, _ in first }), nil, 0))
    }

    /// `bme280 on i2c-1 address 0x77 (simulated)`.
    public var name: String { location + " (simulated)" }

    /// `bme280 on i2c-1 address 0x77`.
    public var location: String {
        guard let i2cBus else { return kernelName }
        return "\(kernelName) on i2c-\(i2cBus)" + (address.map { " address 0x\(String($0, radix: 16))" } ?? "")
    }

    /// Sets a channel's value (in its quantity's unit).
    public func set(_ channel: String, _ value: Double) {
        state.withLock { $0.values[channel] = value }
    }

    /// Makes every read fail with `errno` (EIO: 5), as a driver's read does when its chip has
    /// gone; nil makes reads work again.
    public func failReads(errno: Int32?) {
        state.withLock { $0.failure = errno }
    }

    /// How many channel reads the device has answered or refused.
    public var readCount: Int { state.withLock { $0.reads } }

    public func read(_ channel: KernelSensorChannel) throws(HardwareError) -> Double {
        let result: Result<Double, HardwareError> = state.withLock { state in
            state.reads += 1
            if let errno = state.failure {
                return .failure(HardwareError(.io, operation: "read \(channel.source)", device: name, errno: errno))
            }
            guard let value = state.values[channel.name] else {
                return .failure(HardwareError(.notFound, operation: "read \(channel.name)", device: name, message: "no such channel"))
            }
            return .success(value)
        }
        return try result.get()
    }

    /// The device as JSON for the simulation view.
    public func snapshot() -> JSONValue {
        let values = state.withLock { $0.values }
        return .object([
            "name": .string(kernelName),
            "channels": .object(values.mapValues { .number($0) }),
        ])
    }
}

/// The simulated machine's IIO and hwmon devices.
public final class SimKernelSensorProvider: KernelSensorProvider {
    private let devices = Mutex<[SimKernelSensorDevice]>([])

    public init() {}

    /// Adds a device, as binding a driver to a chip does (it is numbered in the order added).
    public func add(_ device: SimKernelSensorDevice) {
        devices.withLock { $0.append(device) }
    }

    /// Removes a device, as unbinding its driver does.
    public func remove(_ device: SimKernelSensorDevice) {
        devices.withLock { $0.removeAll { $0 === device } }
    }

    /// Every device, in the order added.
    public var allDevices: [SimKernelSensorDevice] { devices.withLock { $0 } }

    /// The device the selector names, if exactly one.
    public func device(_ selector: KernelSensorSelector) -> SimKernelSensorDevice? {
        try? find(selector)
    }

    public func open(_ selector: KernelSensorSelector) throws(HardwareError) -> any KernelSensorDevice {
        try find(selector)
    }

    private func find(_ selector: KernelSensorSelector) throws(HardwareError) -> SimKernelSensorDevice {
        try selector.choose(
            among: allDevices.filter { $0.subsystem == selector.subsystem }, name: \.kernelName, i2cBus: \.i2cBus,
            address: \.address, location: \.location, missing: "none is simulated")
    }

    /// The devices as JSON for the simulation view, by subsystem and number (`iio:device0`).
    public func snapshot() -> JSONValue {
        var entries: [String: JSONValue] = [:]
        for subsystem in KernelSensorSubsystem.allCases {
            let prefix = subsystem == .iio ? "iio:device" : "hwmon"
            for (index, device) in allDevices.filter({ $0.subsystem == subsystem }).enumerated() {
                entries["\(prefix)\(index)"] = device.snapshot()
            }
        }
        return .object(entries)
    }
}
