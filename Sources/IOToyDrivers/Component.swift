import IOToyCore
import IOToyHAL

/// A resource a component exposes, at a path relative to where it is mounted.
/// The empty path is the mount point itself (a servo is one attribute; a BME280 is a
/// directory of three).
public struct Endpoint: Sendable {
    /// What kind of resource it is.
    public enum Kind: Sendable {
        case attribute(AttributeInfo)
        case function(FunctionInfo)
    }

    public let path: [String]
    public let kind: Kind

    public init(_ path: [String], _ kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

/// An attribute's description: its type, help, limits, and how it is read and written.
public struct AttributeInfo: Sendable {
    public let type: ValueType
    public let help: String
    public let constraints: Constraints?
    /// Accepts PUT.
    public let writable: Bool
    /// Served from the sample cache, filled by ``Component/sample()`` every poll interval.
    public let sampled: Bool
    /// The value may be JSON `null` (a ranger that heard no echo), which the API description says.
    public let nullable: Bool

    public init(type: ValueType, help: String, constraints: Constraints? = nil, writable: Bool, sampled: Bool = false, nullable: Bool = false) {
        self.type = type
        self.help = help
        self.constraints = constraints
        self.writable = writable
        self.sampled = sampled
        self.nullable = nullable
    }
}

/// A function's description: its calling spec, help and how long a call may take.
public struct FunctionInfo: Sendable {
    public let spec: FunctionSpec
    public let help: String
    /// How long a call may take before the component gives up (504); nil when the component
    /// has no per-function limit. Informational for the dispatcher: the component enforces it.
    public let timeout: Duration?

    public init(spec: FunctionSpec, help: String, timeout: Duration? = nil) {
        self.spec = spec
        self.help = help
        self.timeout = timeout
    }
}

/// Something a component saw happen on its own: an edge on an input line.
public struct ComponentEvent: Sendable, Hashable {
    public let path: [String]
    public let value: Value
    public let edge: EdgeEvent.Kind?
    /// The hardware's timestamp (the kernel's, for GPIO edges), in nanoseconds.
    public let timestampNs: UInt64?

    public init(path: [String], value: Value, edge: EdgeEvent.Kind? = nil, timestampNs: UInt64? = nil) {
        self.path = path
        self.value = value
        self.edge = edge
        self.timestampNs = timestampNs
    }
}

/// A driver turned into a self-describing IOTOY component.
///
/// Every method except ``endpoints`` and ``schedule`` may block on
/// hardware: the dispatcher calls them only on the component's owner (the thread that owns
/// its bus, chip or port), one at a time. Components see only HAL protocols.
public protocol Component: AnyObject, Sendable {
    /// The attributes and functions the component exposes.
    var endpoints: [Endpoint] { get }
    /// What runs between requests: nothing, sampling, or a loop waiting for events.
    var schedule: Schedule { get }
    /// True when ``endpoints`` are known only after ``start()`` (a device that describes
    /// itself): the dispatcher mounts them again after every successful start.
    var hasDynamicEndpoints: Bool { get }
    /// True for an actuator: something that moves or drives and has a safe state
    /// (``enterSafeState()``), applied on shutdown, on a failsafe deadline and on `/_safe`.
    var isActuator: Bool { get }
    /// The device id a self-describing device gave itself once started (a serial device's
    /// ready line), or nil. A device served at the root takes it as the tree's device name.
    var selfDescribedName: String? { get }
    /// Opens and configures the hardware. Called again to recover after a fault.
    func start() throws
    /// Reads an attribute from the hardware.
    func read(_ path: [String]) throws -> Value
    /// Writes an attribute. The dispatcher has already checked type and constraints.
    func write(_ path: [String], value: Value) throws
    /// Calls a function with arguments already converted to the spec's types.
    func call(_ path: [String], arguments: [Value]) throws -> Value?
    /// Reads every sampled attribute in one go.
    func sample() throws -> [[String]: Value]
    /// Waits up to `timeout` for events (edges) and returns those seen.
    func waitForEvents(timeout: Duration) throws -> [ComponentEvent]
    /// Makes a running ``waitForEvents(timeout:)`` return soon. Called from another thread
    /// when an operation is queued on the owner; must not block.
    func interruptEventWait()
    /// Puts actuators into their safe state (outputs off, servos limp). Ends any timed work
    /// at once: a slewing servo or a ramping motor stops where the safe state puts it.
    func enterSafeState() throws
    /// True when the component does timed work between requests (a servo's slew, a motor's
    /// ramp, an output's pulse): the dispatcher then asks ``nextStep()`` after every command
    /// and step and calls ``advance(to:)`` when that much time has passed on its clock.
    var hasTimedWork: Bool { get }
    /// How long from now the timed work in progress needs its next ``advance(to:)``; nil
    /// when there is none.
    func nextStep() -> Duration?
    /// Moves timed work on to `now` (monotonic, from the dispatcher's clock) and answers the
    /// values that changed (a servo's `position`) for the cache and the change feed. Work
    /// started by a command since the last step starts at this call, not at the command.
    func advance(to now: Duration) throws -> [ComponentEvent]
    /// Releases the hardware. Safe to call when never started or already stopped.
    func stop()
}

extension Component {
    public var schedule: Schedule { .onDemand }
    public var hasDynamicEndpoints: Bool { false }
    public var selfDescribedName: String? { nil }
    public var isActuator: Bool { false }

    public func write(_ path: [String], value: Value) throws {
        throw ComponentError(.readOnly, "this attribute is read-only")
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        throw ComponentError(.noSuchResource, "no such function")
    }

    public func sample() throws -> [[String]: Value] { [:] }

    public func waitForEvents(timeout: Duration) throws -> [ComponentEvent] { [] }

    public func interruptEventWait() {}

    public func enterSafeState() throws {}

    public var hasTimedWork: Bool { false }

    public func nextStep() -> Duration? { nil }

    public func advance(to now: Duration) throws -> [ComponentEvent] { [] }
}

/// The error a component throws when used before ``Component/start()`` succeeded.
func notStarted(_ device: String) -> HardwareError {
    HardwareError(.notFound, operation: "use", device: device, message: "not started")
}
