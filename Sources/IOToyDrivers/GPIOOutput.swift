import IOToyCore
import IOToyHAL

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
    private let held: RequestedLine

    public init(gpio: any GPIOProvider, configuration: Configuration, consumer: String) {
        self.gpio = gpio
        self.configuration = configuration
        self.consumer = consumer
        self.held = RequestedLine(chip: configuration.chip, line: configuration.line)
    }

    public var endpoints: [Endpoint] {
        [
            Endpoint([], .attribute(AttributeInfo(type: .bool, help: configuration.help, writable: true))),
            Endpoint(["toggle"], .function(FunctionInfo(
                spec: FunctionSpec(result: [Parameter("value", .bool)]), help: "Invert the output"))),
        ]
    }

    public func start() throws {
        let settings = LineSettings(
            direction: .output(initial: configuration.initial), drive: configuration.drive,
            activeLow: configuration.activeLow)
        try held.open(gpio, settings: settings, consumer: consumer)
    }

    public func read(_ path: [String]) throws -> Value {
        .bool(try held.current().read())
    }

    public func write(_ path: [String], value: Value) throws {
        guard case .bool(let on) = value else {
            throw ComponentError(.badValue, "expected a bool")
        }
        try held.current().write(on)
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        guard path == ["toggle"] else { throw ComponentError(.noSuchResource, "no such function") }
        let line = try held.current()
        let next = try !line.read()
        try line.write(next)
        return .bool(next)
    }

    public var isActuator: Bool { true }

    public func enterSafeState() throws {
        try held.ifOpen?.write(configuration.safe)
    }

    public func stop() {
        held.release()
    }
}
