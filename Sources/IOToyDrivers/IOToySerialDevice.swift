import IOToyCore
import IOToyHAL
import IOToyWire
import Logging
import Synchronization

/// A microcontroller that describes itself over serial (the IOTOY protocol), mounted as a
/// directory of its own attributes and functions: GET → `get`, PUT → `set`, POST → a call.
///
/// `start()` opens the port, waits for the ready line (or probes with `devinfo`), and asks the
/// device what it has; the endpoints are whatever it said, so they change when a different
/// sketch is flashed. All I/O happens on the port's owner thread, one command at a time.
public final class IOToySerialDevice: Component {
    /// Where the device is and how patient to be with it.
    public struct Configuration: Sendable {
        /// The port path: `/dev/serial/by-id/…`, `/dev/ttyACM0`, a pseudo-terminal.
        public var port: String
        public var baud: Int
        /// How long to wait for the ready line after opening (an Uno resets on open and its
        /// sketch starts ~1.5 s later) before probing with `devinfo`.
        public var readyTimeout: Duration
        /// How long any command may take by default (the original host's 2 s).
        public var commandTimeout: Duration
        /// Longer timeouts for slow functions, by function name.
        public var functionTimeouts: [String: Duration]
        /// A function without arguments that makes the device safe (`stop`), called on shutdown.
        public var safeStateFunction: String?

        public init(
            port: String, baud: Int = 19200, readyTimeout: Duration = .milliseconds(3500),
            commandTimeout: Duration = .seconds(2), functionTimeouts: [String: Duration] = [:]
        ) {
            self.port = port
            self.baud = baud
            self.readyTimeout = readyTimeout
            self.commandTimeout = commandTimeout
            self.functionTimeouts = functionTimeouts
        }

        /// The timeout of a call to `function`.
        public func timeout(of function: String) -> Duration { functionTimeouts[function] ?? commandTimeout }
    }

    private struct State {
        var session: SerialSession?
        var description: SerialDeviceDescription?
    }

    public let configuration: Configuration
    private let provider: any SerialProvider
    private let now: @Sendable () -> Duration
    private let logger: Logger
    private let metrics: SerialLinkMetrics
    /// The session is used only on the owner thread; the description is also read by others.
    private let state = Mutex(State())
    private let published = Mutex<[Endpoint]>([])

    /// - Parameter now: a monotonic reading; pass a manual clock's in tests.
    /// - Parameter metrics: the link statistics' instruments (none by default).
    public init(
        _ configuration: Configuration, provider: any SerialProvider, logger: Logger,
        now: @escaping @Sendable () -> Duration = IOToySerialDevice.monotonicNow(),
        metrics: SerialLinkMetrics? = nil
    ) {
        self.metrics = metrics ?? SerialLinkMetrics(port: configuration.port)
        self.configuration = configuration
        self.provider = provider
        self.logger = logger
        self.now = now
    }

    /// A reading of the continuous clock since the call.
    public static func monotonicNow() -> @Sendable () -> Duration {
        let origin = ContinuousClock.now
        return { origin.duration(to: .now) }
    }

    /// The description from the last successful start.
    public var deviceDescription: SerialDeviceDescription? { state.withLock { $0.description } }

    public var endpoints: [Endpoint] { published.withLock { $0 } }
    public var hasDynamicEndpoints: Bool { true }
    public var selfDescribedName: String? { deviceDescription?.identity.deviceName }
    /// The port is read while idle: a reset or chatter is noticed between commands, and a
    /// queued request ends the wait at once (``interruptEventWait()``).
    public var schedule: Schedule { .eventDriven(slice: .milliseconds(50), servesValues: false) }

    public func start() throws {
        if state.withLock({ $0.session != nil && $0.description != nil }) { return }
        stop()
        let connection = try provider.open(path: configuration.port, baud: configuration.baud)
        let longest = ([configuration.commandTimeout] + configuration.functionTimeouts.values).max()!
        let session = SerialSession(connection: connection, now: now, giveUpAfterSilence: longest + configuration.commandTimeout, logger: logger,
            metrics: metrics)
        do {
            let identity = try identify(session)
            let description = try SerialDeviceDescription.introspect(
                identity, session: session, timeout: configuration.commandTimeout, logger: logger)
            let endpoints = description.endpoints(timeout: configuration.timeout(of:))
            state.withLock { $0 = State(session: session, description: description) }
            published.withLock { $0 = endpoints }
            logger.info("serial device introspected", metadata: [
                "port": "\(configuration.port)", "device": "\(identity)",
                "attributes": "\(description.attributes.map(\.name))", "functions": "\(description.functions.map(\.name))",
            ])
        } catch {
            connection.close()
            throw error
        }
    }

    /// The ready line, or the answer to one `devinfo` when none came in time.
    private func identify(_ session: SerialSession) throws(HardwareError) -> DeviceIdentity {
        if let identity = try session.waitForReadyLine(timeout: configuration.readyTimeout) { return identity }
        logger.info("no ready line; probing with devinfo", metadata: ["port": "\(configuration.port)"])
        let reply = try session.send(.devinfo, timeout: configuration.commandTimeout)
        guard let identity = reply.readyIdentity else {
            throw HardwareError(.io, operation: "devinfo", device: configuration.port, message: "not an IOTOY device: it answered '\(reply)'")
        }
        return identity
    }

    public func read(_ path: [String]) throws -> Value {
        let attribute = try attribute(path)
        let reply = try exchange(try command { try .get(attribute.name) }, timeout: configuration.commandTimeout)
        try check(reply, doing: "get \(attribute.name)")
        do {
            return try SerialValueFormat.value(reply.data, as: attribute.type)
        } catch {
            throw ComponentError(.badDeviceReply, "\(configuration.port): the device answered '\(reply.data)' for \(attribute.name), which is not a \(attribute.type.rawValue)")
        }
    }

    public func write(_ path: [String], value: Value) throws {
        let attribute = try attribute(path)
        try checkWireRange(value, for: attribute.name)
        let reply = try exchange(try command { try .set(attribute.name, value) }, timeout: configuration.commandTimeout)
        try check(reply, doing: "set \(attribute.name) \(SerialValueFormat.text(value))")
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        guard path.count == 1, let function = deviceDescription?.functions.first(where: { $0.name == path[0] }) else {
            throw ComponentError(.noSuchResource, "the device has no function \(path.joined(separator: "/"))")
        }
        for (argument, parameter) in zip(arguments, function.spec.args) { try checkWireRange(argument, for: parameter.name) }
        let reply = try exchange(try command { try .call(function.name, arguments: arguments) }, timeout: configuration.timeout(of: function.name))
        try check(reply, doing: function.name)
        guard let result = function.spec.result.first, reply.data != "-" else { return nil }
        let data = reply.data
        if result.type != .str, data.isEmpty { return nil }
        do {
            return try SerialValueFormat.value(data, as: result.type)
        } catch {
            throw ComponentError(.badDeviceReply, "\(configuration.port): \(function.name) answered '\(data)', which is not a \(result.type.rawValue)")
        }
    }

    /// Calls the board's safe-state function (`stop`), if there is one and the device has it.
    public var isActuator: Bool { true }

    public func enterSafeState() throws {
        guard let name = configuration.safeStateFunction, let session = state.withLock({ $0.session }) else { return }
        guard deviceDescription?.functions.contains(where: { $0.name == name && $0.spec.args.isEmpty }) == true else {
            logger.warning("the device has no safe-state function without arguments", metadata: ["port": "\(configuration.port)", "function": "\(name)"])
            return
        }
        // Written without waiting: a device busy with a move runs it as soon as it reads again.
        try session.post(try command { try .call(name, arguments: []) })
    }

    public func waitForEvents(timeout: Duration) throws -> [ComponentEvent] {
        guard let session = state.withLock({ $0.session }) else { throw notStarted(configuration.port) }
        try session.idle(timeout: timeout)
        return []
    }

    /// A request was queued: end the idle read so its command goes out at once.
    public func interruptEventWait() {
        state.withLock { $0.session }?.connection.interruptRead()
    }

    public func stop() {
        let session = state.withLock { state -> SerialSession? in
            defer { state = State(session: nil, description: state.description) }
            return state.session
        }
        session?.connection.close()
    }

    // MARK: Helpers

    private func attribute(_ path: [String]) throws -> SerialDeviceDescription.Attribute {
        guard path.count == 1, let attribute = deviceDescription?.attributes.first(where: { $0.name == path[0] }) else {
            throw ComponentError(.noSuchResource, "the device has no attribute \(path.joined(separator: "/"))")
        }
        return attribute
    }

    /// An `int` is 32-bit on the wire; beyond that the firmware's conversion would wrap silently.
    private func checkWireRange(_ value: Value, for name: String) throws {
        guard case .int(let int) = value, Int32(exactly: int) == nil else { return }
        throw ComponentError(.outOfRange, "\(int) does not fit the device's 32-bit int \(name)", detail: "min -2147483648, max 2147483647")
    }

    /// Builds a command; one the device could not take is refused before anything is sent.
    private func command(_ build: () throws -> SerialCommand) throws -> SerialCommand {
        do {
            return try build()
        } catch let error as SerialCommandError {
            throw ComponentError(.commandRefused, error.description)
        }
    }

    private func exchange(_ command: SerialCommand, timeout: Duration) throws(HardwareError) -> SerialReply {
        guard let session = state.withLock({ $0.session }) else { throw notStarted(configuration.port) }
        return try session.send(command, timeout: timeout)
    }

    /// Maps the device's error codes: 400 → 400, 404 → 404, 500 (bad value) → 422.
    private func check(_ reply: SerialReply, doing operation: String) throws {
        switch reply.code {
        case 200..<300: return
        case 400: throw ComponentError(.deviceBadRequest, "the device could not parse '\(operation)'", detail: reply.description)
        case 404: throw ComponentError(.deviceNotFound, "the device does not know '\(operation)'", detail: reply.description)
        // The device's own refusal (a read-only attribute, a value its code will not take) is
        // not a limit iotoyd knows: 409, its own code, so clients tell the two apart.
        case 500: throw ComponentError(.deviceRefused, "the device refused '\(operation)'", detail: reply.description)
        default: throw ComponentError(.deviceError, "the device answered '\(reply)' to '\(operation)'")
        }
    }
}
