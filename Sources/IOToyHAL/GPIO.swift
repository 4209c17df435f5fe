/// Whether a line is read or driven.
public enum LineDirection: Sendable, Hashable {
    case input
    /// Driven, starting at `initial` (a logical value: active-low already applied).
    case output(initial: Bool)
}

/// The pull resistor setting of a line.
public enum LineBias: String, Sendable, Hashable, CaseIterable {
    case asIs = "as_is"
    case disabled
    case pullUp = "pull_up"
    case pullDown = "pull_down"
}

/// How an output drives its line.
public enum LineDrive: String, Sendable, Hashable, CaseIterable {
    case pushPull = "push_pull"
    case openDrain = "open_drain"
    case openSource = "open_source"
}

/// Which edges of an input produce events.
public enum LineEdge: String, Sendable, Hashable, CaseIterable {
    case none, rising, falling, both
}

/// Everything a line request asks of the kernel.
public struct LineSettings: Sendable, Hashable {
    public var direction: LineDirection
    public var bias: LineBias
    public var drive: LineDrive
    public var activeLow: Bool
    public var edge: LineEdge
    /// Debounce period for edge events; nil for none.
    public var debounce: Duration?

    public init(
        direction: LineDirection, bias: LineBias = .asIs, drive: LineDrive = .pushPull,
        activeLow: Bool = false, edge: LineEdge = .none, debounce: Duration? = nil
    ) {
        self.direction = direction
        self.bias = bias
        self.drive = drive
        self.activeLow = activeLow
        self.edge = edge
        self.debounce = debounce
    }
}

/// A chip, chosen by what a person can read off the board: a label (`pinctrl-bcm2711`),
/// a kernel name (`gpiochip0`) or a path (`/dev/gpiochip0`). Never a bare number.
public enum ChipSelector: Sendable, Hashable, CustomStringConvertible {
    case label(String)
    case name(String)
    case path(String)

    /// Reads a selector from text: `/…` is a path, `gpiochipN` a name, anything else a label.
    public init(_ text: String) {
        if text.hasPrefix("/") {
            self = .path(text)
        } else if text.hasPrefix("gpiochip"), Int(text.dropFirst("gpiochip".count)) != nil {
            self = .name(text)
        } else {
            self = .label(text)
        }
    }

    public var description: String {
        switch self {
        case .label(let label): label
        case .name(let name): name
        case .path(let path): path
        }
    }
}

/// A line on a chip, by name (`GPIO17`) or offset (`17`).
public enum LineSelector: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case offset(Int)

    /// Reads a selector: all digits is an offset, anything else a name.
    public init(_ text: String) {
        if let offset = Int(text), offset >= 0, text.allSatisfy(\.isNumber) {
            self = .offset(offset)
        } else {
            self = .name(text)
        }
    }

    public var description: String {
        switch self {
        case .name(let name): name
        case .offset(let offset): String(offset)
        }
    }
}

/// An edge seen on an input line.
public struct EdgeEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case rising, falling }
    public let kind: Kind
    /// The kernel's timestamp of the edge, in nanoseconds (CLOCK_MONOTONIC by default).
    public let timestampNs: UInt64
    /// The line's offset on its chip.
    public let offset: Int

    public init(kind: Kind, timestampNs: UInt64, offset: Int) {
        self.kind = kind
        self.timestampNs = timestampNs
        self.offset = offset
    }
}

/// Opens GPIO chips. The Linux backend uses libgpiod; the simulator keeps lines in memory.
public protocol GPIOProvider: Sendable {
    /// Opens the chip the selector names, or throws `notFound`.
    func openChip(_ selector: ChipSelector) throws(HardwareError) -> any GPIOChip
}

/// An open GPIO chip.
public protocol GPIOChip: Sendable {
    /// The kernel name, e.g. `gpiochip0`.
    var name: String { get }
    /// The chip's label, e.g. `pinctrl-bcm2711`.
    var label: String { get }
    /// Requests one line with the given settings for `consumer`.
    /// Throws `notFound` for an unknown line and `busy` when another consumer holds it.
    func requestLine(_ line: LineSelector, settings: LineSettings, consumer: String) throws(HardwareError)
        -> any GPIOLineRequest
    /// Closes the chip. Requests made from it stay valid until released.
    func close()
}

/// A requested line. Values are logical: active-low is applied by the kernel.
///
/// Single owner: a request is used from one thread at a time (its owner's).
public protocol GPIOLineRequest: Sendable {
    /// The line's offset on its chip.
    var offset: Int { get }
    /// Reads the logical value.
    func read() throws(HardwareError) -> Bool
    /// Drives the logical value (outputs only).
    func write(_ value: Bool) throws(HardwareError)
    /// Waits up to `timeout` for edge events and returns those that arrived (possibly none).
    func waitForEdgeEvents(timeout: Duration) throws(HardwareError) -> [EdgeEvent]
    /// Releases the line back to the kernel. Further calls throw.
    func release()
}
