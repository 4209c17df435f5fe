import IOToyCore
import IOToyHAL
import Synchronization

/// `gpio_out`: a digital output (an LED, a relay) as a bool attribute with a `toggle` function.
/// Its safe state is the configured `safe` value (off by default).
public final class GPIOOutput: Component {
    /// What the board file says about the output.
    public struct Configuration: Sendable, Hashable {
        public var chip: ChipSelector
        public var line: LineSelector
        public var activeLow = false
        public var drive: LineDrive = .pushPull
        public var initial = false
        public var safe = false
        public var help = "Digital output"

        public init(chip: ChipSelector, line: LineSelector) {
            self.chip = chip
            self.line = line
        }
    }

    private let gpio: any GPIOProvider
    private let configuration: Configuration
    private let consumer: String
    private let request = Mutex<(any GPIOLineRequest)?>(nil)

    public init(gpio: any GPIOProvider, configuration: Configuration, consumer: String) {
        self.gpio = gpio
        self.configuration = configuration
        self.consumer = consumer
    }

    public var endpoints: [Endpoint] {
        [
            Endpoint([], .attribute(AttributeInfo(type: .bool, help: configuration.help, writable: true))),
            Endpoint(["toggle"], .function(FunctionInfo(
                spec: FunctionSpec(result: [Parameter("value", .bool)]), help: "Invert the output"))),
        ]
    }

    private var device: String { "\(configuration.chip) line \(configuration.line)" }

    public func start() throws {
        stop()
        let chip = try gpio.openChip(configuration.chip)
        defer { chip.close() }
        let settings = LineSettings(
            direction: .output(initial: configuration.initial), drive: configuration.drive,
            activeLow: configuration.activeLow)
        let line = try chip.requestLine(configuration.line, settings: settings, consumer: consumer)
        request.withLock { $0 = line }
    }

    private func line() throws -> any GPIOLineRequest {
        guard let line = request.withLock({ $0 }) else { throw notStarted(device) }
        return line
    }

    public func read(_ path: [String]) throws -> Value {
        .bool(try line().read())
    }

    public func write(_ path: [String], value: Value) throws {
        guard case .bool(let on) = value else {
            throw IOToyError(.badRequest, message: "expected a bool")
        }
        try line().write(on)
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        guard path == ["toggle"] else { throw IOToyError(.notFound, message: "no such function") }
        let line = try line()
        let next = try !line.read()
        try line.write(next)
        return .bool(next)
    }

    public func enterSafeState() throws {
        try request.withLock { $0 }?.write(configuration.safe)
    }

    public func stop() {
        request.withLock { line in
            line?.release()
            line = nil
        }
    }
}
