import IOToyCore
import IOToyHAL
import Synchronization

/// `gpio_out`: a digital output (an LED, a relay) as a bool attribute with `toggle` and
/// `pulse(ms)`: on for that long, then off, timed by the dispatcher's timed work so nothing
/// waits for it. Its safe state is the configured `safe` value (off by default).
public final class GPIOOutput: Component {
    /// The longest pulse `pulse(ms)` takes, in milliseconds.
    public static let longestPulseMs = 3_600_000

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
    private let pulse = Mutex(Pulse())

    /// A pulse under way: its length until the first step stamps it, then its end.
    struct Pulse {
        var pending: Duration?
        var endsAt: Duration?
        var lastStep: Duration = .zero
    }

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
            Endpoint(["pulse"], .function(FunctionInfo(
                spec: FunctionSpec(args: [Parameter("ms", .int)]),
                help: "Switch on for ms milliseconds (1…\(Self.longestPulseMs)), then off; a later command ends it"))),
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
        pulse.withLock { $0 = Pulse() }
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        switch path {
        case ["toggle"]:
            let line = try held.current()
            let next = try !line.read()
            try line.write(next)
            pulse.withLock { $0 = Pulse() }
            return .bool(next)
        case ["pulse"]:
            guard case .int(let milliseconds)? = arguments.first else { throw ComponentError(.badValue, "expected ms, an int") }
            guard (1...Self.longestPulseMs).contains(milliseconds) else {
                throw ComponentError(.outOfRange, "a pulse of \(milliseconds) ms is outside 1…\(Self.longestPulseMs) ms",
                                     detail: "min 1, max \(Self.longestPulseMs) ms")
            }
            try held.current().write(true)
            pulse.withLock { $0 = Pulse(pending: .milliseconds(milliseconds)) }
            return nil
        default:
            throw ComponentError(.noSuchResource, "no such function")
        }
    }

    public var hasTimedWork: Bool { true }

    public func nextStep() -> Duration? {
        pulse.withLock { pulse in pulse.endsAt.map { $0 - pulse.lastStep } }
    }

    /// Stamps a new pulse's end at its first step; switches the output off once it has come.
    public func advance(to now: Duration) throws -> [ComponentEvent] {
        let due: Bool = pulse.withLock { pulse in
            pulse.lastStep = now
            if let length = pulse.pending {
                pulse.pending = nil
                pulse.endsAt = now + length
            }
            guard let endsAt = pulse.endsAt, now >= endsAt else { return false }
            pulse.endsAt = nil
            return true
        }
        guard due, let line = held.ifOpen else { return [] }
        try line.write(false)
        return [ComponentEvent(path: [], value: .bool(false))]
    }

    public var isActuator: Bool { true }

    public func enterSafeState() throws {
        pulse.withLock { $0 = Pulse() }
        try held.ifOpen?.write(configuration.safe)
    }

    public func stop() {
        pulse.withLock { $0 = Pulse() }
        held.release()
    }
}
