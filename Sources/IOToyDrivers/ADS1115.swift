import IOToyCore
import IOToyHAL
import Synchronization

/// `ads1115`: a TI ADS1115 4-channel ADC on I2C, a directory of one sampled `float`
/// attribute per channel the board declares. Each channel is an input (a pin or a
/// differential pair) with its own full-scale range and data rate, and an optional linear
/// scale (`value = volts × scale + offset`, in the channel's unit) so a battery divider reads
/// the battery's volts and a potentiometer reads degrees. The registers are ``ADS1115Chip``'s.
public final class ADS1115: Component {
    /// One declared channel.
    public struct Channel: Sendable, Hashable {
        /// The attribute's name.
        public var name: String
        public var input: ADS1115Chip.Input
        public var fullScale: ADS1115Chip.FullScale = .volts2_048
        public var dataRate: ADS1115Chip.DataRate = .sps128
        /// Multiplies the measured volts.
        public var scale: Double = 1
        /// Added after scaling, in `unit`.
        public var offset: Double = 0
        /// The unit of the scaled value.
        public var unit = "V"
        /// The attribute's help; nil for one describing the input.
        public var help: String?

        public init(name: String, input: ADS1115Chip.Input) {
            self.name = name
            self.input = input
        }

        /// The presented value for a conversion: volts × scale + offset, to 1 µV's precision.
        public func value(volts: Double) -> Double {
            ((volts * scale + offset) * 1_000_000).rounded() / 1_000_000
        }

        var describedHelp: String {
            if let help { return help }
            let pair = input.rawValue.contains("-") ? "\(input.rawValue) (differential)" : "\(input.rawValue) against GND"
            func plain(_ number: Double) -> String {
                number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            }
            var scaling = scale == 1 ? "" : ", ×\(plain(scale))"
            if offset != 0 { scaling += " \(offset < 0 ? "−" : "+") \(plain(abs(offset)))" }
            return "\(pair) at ±\(fullScale.rawValue) V, \(dataRate.rawValue) samples/s\(scaling), in \(unit)"
        }
    }

    /// What the board file says about the ADC.
    public struct Configuration: Sendable, Hashable {
        public var bus: Int
        public var address: UInt8 = 0x48
        public var pollInterval: Duration = .milliseconds(1000)
        public var channels: [Channel]
        public var help = "ADS1115 16-bit analog inputs"

        public init(bus: Int, channels: [Channel]) {
            self.bus = bus
            self.channels = channels
        }
    }

    private let i2c: any I2CProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let state = Mutex<(bus: (any I2CBus)?, chip: ADS1115Chip?)>((nil, nil))

    public init(i2c: any I2CProvider, delay: any BlockingDelay, configuration: Configuration) {
        self.i2c = i2c
        self.delay = delay
        self.configuration = configuration
    }

    public var endpoints: [Endpoint] {
        configuration.channels.map { channel in
            Endpoint([channel.name], .attribute(AttributeInfo(
                type: .float, help: channel.describedHelp, constraints: Constraints(unit: channel.unit),
                writable: false, sampled: true)))
        }
    }

    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    public func start() throws {
        stop()
        let bus = try i2c.openBus(configuration.bus)
        do {
            let chip = try ADS1115Chip(bus: bus, address: configuration.address, delay: delay)
            state.withLock { $0 = (bus, chip) }
        } catch {
            bus.close()
            throw error
        }
    }

    public func read(_ path: [String]) throws -> Value {
        guard path.count == 1, let channel = configuration.channels.first(where: { $0.name == path[0] }) else {
            throw ComponentError(.noSuchResource, "no such channel")
        }
        return .float(try convert(channel))
    }

    /// Converts every channel in turn (one single-shot conversion each).
    public func sample() throws -> [[String]: Value] {
        var values: [[String]: Value] = [:]
        for channel in configuration.channels {
            values[[channel.name]] = .float(try convert(channel))
        }
        return values
    }

    public func stop() {
        state.withLock { state in
            state.bus?.close()
            state = (nil, nil)
        }
    }

    private func convert(_ channel: Channel) throws -> Double {
        guard let chip = state.withLock({ $0.chip }) else { throw notStarted(configuration.help) }
        let conversion = try chip.convert(channel.input, fullScale: channel.fullScale, dataRate: channel.dataRate)
        return channel.value(volts: conversion.volts)
    }
}
