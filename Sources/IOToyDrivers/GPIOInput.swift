import IOToyCore
import IOToyHAL

/// `gpio_in`: a digital input (a button, a bumper) as a read-only bool attribute. With edge
/// detection on, every edge reaches the change feed with the kernel's timestamp.
public final class GPIOInput: Component {
    /// What the board file says about the input.
    public struct Configuration: Sendable, Hashable {
        public var chip: ChipSelector
        public var line: LineSelector
        public var bias: LineBias = .asIs
        public var activeLow = false
        public var edge: LineEdge = .both
        public var debounce: Duration?
        public var help = "Digital input"

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
        [Endpoint([], .attribute(AttributeInfo(type: .bool, help: configuration.help, writable: false)))]
    }

    /// Edges are watched when detection is on; only both edges keep the value current (with
    /// one edge kind a GET reads the line).
    public var schedule: Schedule {
        configuration.edge == .none ? .onDemand : .eventDriven(slice: .milliseconds(50), servesValues: configuration.edge == .both)
    }

    public func start() throws {
        let settings = LineSettings(
            direction: .input, bias: configuration.bias, activeLow: configuration.activeLow,
            edge: configuration.edge, debounce: configuration.debounce)
        try held.open(gpio, settings: settings, consumer: consumer)
    }

    public func read(_ path: [String]) throws -> Value {
        .bool(try held.current().read())
    }

    public func waitForEvents(timeout: Duration) throws -> [ComponentEvent] {
        try held.current().waitForEdgeEvents(timeout: timeout).map { edge in
            ComponentEvent(path: [], value: .bool(edge.kind == .rising), edge: edge.kind, timestampNs: edge.timestampNs)
        }
    }

    public func stop() {
        held.release()
    }
}
