import IOToyCore
import IOToyHAL
import Logging
import Synchronization

/// A serial device that speaks its own line protocol (a relay board answering `RELAY1=ON`, a
/// GPS's NMEA sentences, a sensor module's `T=21.5`), mapped to attributes by the board file:
/// a GET sends the attribute's query line and waits for a line its pattern matches; a PUT
/// sends the attribute's line template and waits for the acknowledgement; lines the device
/// sends unasked update the attributes that listen for them, through the change feed.
///
/// All I/O happens on the port's owner thread, one exchange at a time; between requests the
/// owner reads the port (``schedule``), so unsolicited lines are seen as they come and a
/// hang-up faults the component at once.
public final class SerialTextDevice: Component {
    /// Where the device is, how it ends lines, how patient to be, and its attributes.
    public struct Configuration: Sendable {
        /// The port path: `/dev/serial/by-id/…`, `/dev/ttyUSB0`, a pseudo-terminal.
        public var port: String
        public var baud: Int
        /// What ends a line sent to the device: `"\n"`, `"\r\n"` or `"\r"`.
        public var newline: String
        /// How long the device may take to answer a query, a write or a call.
        public var timeout: Duration
        /// A line meaning the device refused or failed (`^ERR`); nil when it has none.
        public var errorPattern: SerialTextPattern?
        public var attributes: [SerialTextAttribute]
        public var functions: [SerialTextFunction]

        public init(
            port: String, baud: Int = 9600, newline: String = "\r\n", timeout: Duration = .seconds(1),
            errorPattern: SerialTextPattern? = nil, attributes: [SerialTextAttribute], functions: [SerialTextFunction] = []
        ) {
            self.port = port
            self.baud = baud
            self.newline = newline
            self.timeout = timeout
            self.errorPattern = errorPattern
            self.attributes = attributes
            self.functions = functions
        }
    }

    private struct State {
        var link: SerialTextLink?
        /// The latest value of every attribute that listens, from the device's lines.
        var heard: [String: Value] = [:]
        /// Updates seen during requests, handed to the dispatcher by the next ``waitForEvents(timeout:)``.
        var pending: [ComponentEvent] = []
    }

    public let configuration: Configuration
    private let provider: any SerialProvider
    private let now: @Sendable () -> Duration
    private let logger: Logger
    private let state = Mutex(State())

    /// - Parameter now: a monotonic reading; pass a simulated port's virtual clock in tests.
    public init(
        _ configuration: Configuration, provider: any SerialProvider, logger: Logger,
        now: @escaping @Sendable () -> Duration = IOToySerialDevice.monotonicNow()
    ) {
        self.configuration = configuration
        self.provider = provider
        self.logger = logger
        self.now = now
    }

    public var endpoints: [Endpoint] {
        configuration.attributes.map { attribute in
            Endpoint([attribute.name], .attribute(AttributeInfo(
                type: attribute.type, help: attribute.help, constraints: attribute.constraints, writable: attribute.write != nil)))
        } + configuration.functions.map { function in
            Endpoint([function.name], .function(FunctionInfo(
                spec: FunctionSpec(), help: function.help, timeout: function.expect == nil ? nil : configuration.timeout)))
        }
    }

    /// The port is read while idle: unsolicited lines reach the change feed as they come, and
    /// a queued request ends the wait at once (``interruptEventWait()``). GETs ask the device.
    public var schedule: Schedule { .eventDriven(slice: .milliseconds(50), servesValues: false) }

    public func start() throws {
        if state.withLock({ $0.link != nil }) { return }
        let connection = try provider.open(path: configuration.port, baud: configuration.baud)
        let link = SerialTextLink(connection: connection, newline: configuration.newline, now: now)
        // Values heard before a fault may be stale: after a restart only new lines count.
        state.withLock { $0 = State(link: link) }
    }

    public func read(_ path: [String]) throws -> Value {
        let attribute = try attribute(path)
        guard let query = attribute.read.query else { return try awaitHeard(attribute) }
        let text = try exchange(query, awaiting: attribute.read.pattern, failure: .deviceError) { line in
            attribute.read.pattern.capturedValue(in: line)
        }
        guard let value = attribute.value(fromDeviceText: text) else {
            throw ComponentError(.badDeviceReply, "\(configuration.port): the device answered '\(text)' for \(attribute.name), which is not \(expectation(of: attribute))")
        }
        if attribute.listen { state.withLock { $0.heard[attribute.name] = value } }
        return value
    }

    public func write(_ path: [String], value: Value) throws {
        let attribute = try attribute(path)
        guard let write = attribute.write else { throw ComponentError(.readOnly, "\(attribute.name) is read-only") }
        let text = try attribute.deviceText(for: value)
        let line = write.template.replacing(SerialTextAttribute.Write.placeholder, with: text)
        try send(line, expecting: write.expect)
        // A device that cannot be asked holds what it last took.
        if attribute.read.query == nil { state.withLock { $0.heard[attribute.name] = value } }
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        guard path.count == 1, let function = configuration.functions.first(where: { $0.name == path[0] }) else {
            throw ComponentError(.noSuchResource, "no function \(path.joined(separator: "/"))")
        }
        try send(function.line, expecting: function.expect)
        return nil
    }

    public func waitForEvents(timeout: Duration) throws -> [ComponentEvent] {
        let link = try currentLink()
        let deadline = now() + timeout
        // Updates seen during the last request are handed over without waiting.
        while state.withLock({ $0.pending.isEmpty }), let lines = try link.lines(before: deadline) {
            for line in lines { route(line, when: "idle") }
        }
        return state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
    }

    /// A request was queued: end the idle read so its line goes out at once.
    public func interruptEventWait() {
        state.withLock { $0.link }?.connection.interruptRead()
    }

    public func stop() {
        let link = state.withLock { state -> SerialTextLink? in
            defer { state.link = nil }
            return state.link
        }
        link?.connection.close()
    }

    // MARK: Exchanges

    /// Sends `line` and, with an `expect` pattern, waits for the acknowledgement.
    private func send(_ line: String, expecting expect: SerialTextPattern?) throws {
        if let expect {
            _ = try exchange(line, awaiting: expect, failure: .deviceRefused) { expect.matches($0) ? "" : nil }
        } else {
            let link = try currentLink()
            try refuseLineBreaks(line)
            for arrived in try link.arrivedLines() { route(arrived, when: "before '\(line)'") }
            try link.send(line)
        }
    }

    /// Sends `line`, then reads until `answer` accepts a line (its result is returned), an
    /// error line comes (`failure`), or the timeout passes (`timeout`, 504; the component
    /// stays up). Lines in between go to the attributes that listen, or are skipped.
    private func exchange(
        _ line: String, awaiting pattern: SerialTextPattern, failure: ComponentError.Kind, answer: (String) -> String?
    ) throws -> String {
        let link = try currentLink()
        try refuseLineBreaks(line)
        // Whatever came before the command cannot be its answer.
        for arrived in try link.arrivedLines() { route(arrived, when: "before '\(line)'") }
        try link.send(line)
        let deadline = now() + configuration.timeout
        while let received = try link.nextLine(before: deadline) {
            if let result = answer(received) { return result }
            if let errorPattern = configuration.errorPattern, errorPattern.matches(received) {
                throw ComponentError(failure, "the device answered '\(line)' with an error", detail: received)
            }
            route(received, when: "while waiting for the answer to '\(line)'")
        }
        throw HardwareError(
            .timeout, operation: line, device: configuration.port,
            message: "no line matching '\(pattern)' within \(SerialSession.describe(configuration.timeout))")
    }

    /// The latest value heard for an attribute without a query; before the first, waits for
    /// one until the timeout (then 504: the device has not said it yet).
    private func awaitHeard(_ attribute: SerialTextAttribute) throws -> Value {
        if let value = state.withLock({ $0.heard[attribute.name] }) { return value }
        let link = try currentLink()
        let deadline = now() + configuration.timeout
        while let line = try link.nextLine(before: deadline) {
            route(line, when: "while waiting for \(attribute.name)")
            if let value = state.withLock({ $0.heard[attribute.name] }) { return value }
        }
        throw HardwareError(
            .timeout, operation: "wait for \(attribute.name)", device: configuration.port,
            message: "the device has sent no line matching '\(attribute.read.pattern)' within \(SerialSession.describe(configuration.timeout))")
    }

    /// Gives a line to every attribute that listens for it: its value is kept and queued for
    /// the change feed. A line nobody listens for is logged and skipped.
    private func route(_ line: String, when: String) {
        var taken = false
        for attribute in configuration.attributes where attribute.listen {
            guard let text = attribute.read.pattern.capturedValue(in: line) else { continue }
            taken = true
            guard let value = attribute.value(fromDeviceText: text) else {
                logger.notice("a line matched but its value is not \(expectation(of: attribute))", metadata: [
                    "port": "\(configuration.port)", "attribute": "\(attribute.name)", "line": "\(line)",
                ])
                continue
            }
            state.withLock { state in
                state.heard[attribute.name] = value
                state.pending.append(ComponentEvent(path: [attribute.name], value: value))
            }
        }
        guard !taken else { return }
        if let errorPattern = configuration.errorPattern, errorPattern.matches(line) {
            logger.warning("the device reported an error unasked", metadata: ["port": "\(configuration.port)", "line": "\(line)"])
        } else {
            logger.debug("line from the device skipped", metadata: ["port": "\(configuration.port)", "line": "\(line)", "when": "\(when)"])
        }
    }

    // MARK: Helpers

    private func attribute(_ path: [String]) throws -> SerialTextAttribute {
        guard path.count == 1, let attribute = configuration.attributes.first(where: { $0.name == path[0] }) else {
            throw ComponentError(.noSuchResource, "no attribute \(path.joined(separator: "/"))")
        }
        return attribute
    }

    private func currentLink() throws(HardwareError) -> SerialTextLink {
        guard let link = state.withLock({ $0.link }) else { throw notStarted(configuration.port) }
        return link
    }

    /// A value with a line break would send two lines: refused before anything is sent.
    private func refuseLineBreaks(_ line: String) throws {
        guard line.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return }
        throw ComponentError(.commandRefused, "a line sent to the device cannot contain a line break")
    }

    private func expectation(of attribute: SerialTextAttribute) -> String {
        attribute.map.isEmpty
            ? "a\(attribute.type == .int ? "n" : "") \(attribute.type.rawValue)"
            : "one of " + attribute.map.map { "'\($0.text)'" }.joined(separator: ", ")
    }
}
