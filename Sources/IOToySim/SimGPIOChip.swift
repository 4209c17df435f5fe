import Foundation
import IOToyCore
import IOToyHAL

/// A simulated GPIO chip: named lines with pulls, outputs that record what they drive, and
/// inputs whose edges reach event requests, like the kernel's gpio-sim.
///
/// All state is guarded by one condition lock, which also wakes edge waiters.
public final class SimGPIOChip: GPIOChip, @unchecked Sendable {
    public let name: String
    public let label: String
    private let condition = NSCondition()
    private var lines: [SimLine]
    private let timestampNs: @Sendable () -> UInt64

    struct SimLine {
        var name: String?
        /// The level the outside world forces on the pin (a button, a wire); nil when floating.
        var externalLevel: Bool?
        var consumer: String?
        var settings: LineSettings?
        /// The physical level an output drives.
        var drivenLevel = false
        var events: [EdgeEvent] = []
        var lastEventNs: UInt64?
        var requestID = 0
        /// A wait that finds no edge returns at once, as if its timeout had passed
        /// (``setWaitsExpireAtOnce(_:line:)``).
        var waitsExpireAtOnce = false
        /// Told of every level this line drives as an output (``observeOutput(line:_:)``).
        var outputObservers: [@Sendable (Bool, UInt64) -> Void] = []
    }

    /// A chip called `name` with label `label` and one line per entry of `lineNames`
    /// (nil entries are unnamed lines).
    public init(
        name: String, label: String, lineNames: [String?],
        timestampNs: @escaping @Sendable () -> UInt64 = SimGPIOChip.monotonicNanoseconds
    ) {
        self.name = name
        self.label = label
        self.lines = lineNames.map { SimLine(name: $0) }
        self.timestampNs = timestampNs
    }

    /// Nanoseconds on the process's continuous clock, the default event timestamp.
    public static let monotonicNanoseconds: @Sendable () -> UInt64 = {
        let epoch = ContinuousClock.now
        return {
            let elapsed = ContinuousClock.now - epoch
            return UInt64(elapsed.components.seconds) * 1_000_000_000
                + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        }
    }()

    /// The number of lines.
    public var lineCount: Int { locked { lines.count } }

    /// The lines' names in offset order (nil: unnamed).
    public var lineNames: [String?] { locked { lines.map(\.name) } }

    // MARK: GPIOChip

    public func requestLine(_ line: LineSelector, settings: LineSettings, consumer: String) throws(HardwareError)
        -> any GPIOLineRequest
    {
        let result: Result<SimLineRequest, HardwareError> = locked {
            guard let offset = resolve(line) else {
                return .failure(HardwareError(.notFound, operation: "request line", device: "\(name) (\(label)) line \(line)"))
            }
            if let holder = lines[offset].consumer {
                return .failure(
                    HardwareError(.busy, operation: "request line", device: "\(name) (\(label)) line \(line)",
                                  errno: 16, message: "held by '\(holder)'"))
            }
            if settings.edge != .none, case .output = settings.direction {
                return .failure(
                    HardwareError(.unsupported, operation: "request line", device: "\(name) line \(line)",
                                  errno: 22, message: "edge detection on an output"))
            }
            lines[offset].consumer = consumer
            lines[offset].settings = settings
            lines[offset].events = []
            lines[offset].lastEventNs = nil
            lines[offset].requestID += 1
            if case .output(let initial) = settings.direction {
                lines[offset].drivenLevel = initial != settings.activeLow
            }
            return .success(SimLineRequest(chip: self, offset: offset, requestID: lines[offset].requestID))
        }
        return try result.get()
    }

    public func close() {}

    // MARK: The outside world (tests and the simulation view)

    /// Forces the pin's level from outside (a pressed button pulls it low), or lets it float
    /// (nil). Edges reach event requests, stamped `timestampNs` when given (a model that
    /// answers at a chosen moment: an echo 583 µs long), else with the chip's clock.
    public func setExternalLevel(_ level: Bool?, line: LineSelector, timestampNs: UInt64? = nil) throws(HardwareError) {
        let result: Result<Void, HardwareError> = locked {
            guard let offset = resolve(line) else {
                return .failure(HardwareError(.notFound, operation: "set level", device: "\(name) line \(line)"))
            }
            let before = physicalLevel(offset)
            lines[offset].externalLevel = level
            let after = physicalLevel(offset)
            if before != after { recordEdge(offset: offset, rising: after, at: timestampNs) }
            return .success(())
        }
        try result.get()
    }

    /// Calls `observer` with the physical level and the chip's timestamp every time a request
    /// drives `line` (a model watching a trigger line). Called outside the chip's lock, on the
    /// writer's thread, before the write returns: the observer may set other lines' levels.
    public func observeOutput(line: LineSelector, _ observer: @escaping @Sendable (_ level: Bool, _ timestampNs: UInt64) -> Void)
        throws(HardwareError)
    {
        let result: Result<Void, HardwareError> = locked {
            guard let offset = resolve(line) else {
                return .failure(HardwareError(.notFound, operation: "observe", device: "\(name) line \(line)"))
            }
            lines[offset].outputObservers.append(observer)
            return .success(())
        }
        try result.get()
    }

    /// Makes a wait for edges on `line` that finds none return at once instead of after its
    /// timeout: simulated time, for a line whose model answers instantly (as ``NoDelay`` is
    /// for datasheet delays). Only for lines read by polled components: a loop waiting for
    /// events would spin.
    public func setWaitsExpireAtOnce(_ atOnce: Bool, line: LineSelector) throws(HardwareError) {
        let result: Result<Void, HardwareError> = locked {
            guard let offset = resolve(line) else {
                return .failure(HardwareError(.notFound, operation: "configure", device: "\(name) line \(line)"))
            }
            lines[offset].waitsExpireAtOnce = atOnce
            return .success(())
        }
        try result.get()
    }

    /// The physical level on the pin: what an output drives, or what an input sees.
    public func physicalLevel(line: LineSelector) -> Bool? {
        locked { resolve(line).map(physicalLevel) }
    }

    /// Who holds the line, if anyone.
    public func consumer(line: LineSelector) -> String? {
        locked { resolve(line).flatMap { lines[$0].consumer } }
    }

    /// The chip's lines as JSON for the simulation view.
    public func snapshot() -> JSONValue {
        locked {
            .object([
                "label": .string(label),
                "lines": .array(lines.indices.filter { lines[$0].name != nil || lines[$0].consumer != nil }.map { offset in
                    let line = lines[offset]
                    return .object([
                        "offset": .int(offset),
                        "name": line.name.map(JSONValue.string) ?? .null,
                        "consumer": line.consumer.map(JSONValue.string) ?? .null,
                        "direction": line.settings.map { settings in
                            if case .output = settings.direction { return .string("output") }
                            return .string("input")
                        } ?? .null,
                        "level": .bool(physicalLevel(offset)),
                    ])
                }),
            ])
        }
    }

    // MARK: Called by requests

    func read(offset: Int, requestID: Int) throws(HardwareError) -> Bool {
        try withRequest(offset, requestID, "read") { line in
            physicalLevel(offset) != (line.settings?.activeLow ?? false)
        }
    }

    func write(offset: Int, requestID: Int, value: Bool) throws(HardwareError) {
        let driven = try withRequest(offset, requestID, "write") { (line: SimLine) throws(HardwareError) in
            guard case .output = line.settings?.direction else {
                throw HardwareError(.unsupported, operation: "write", device: "\(name) line \(offset)", errno: 1,
                                    message: "line is an input")
            }
            lines[offset].drivenLevel = value != (line.settings?.activeLow ?? false)
            return (lines[offset].drivenLevel, line.outputObservers)
        }
        guard !driven.1.isEmpty else { return }
        let now = timestampNs()
        for observer in driven.1 { observer(driven.0, now) }
    }

    func waitForEvents(offset: Int, requestID: Int, timeout: Duration) throws(HardwareError) -> [EdgeEvent] {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard lines[offset].requestID == requestID, lines[offset].consumer != nil else {
                throw HardwareError(.notFound, operation: "wait for edge events", device: "\(name) line \(offset)",
                                    message: "line released")
            }
            if !lines[offset].events.isEmpty {
                defer { lines[offset].events.removeAll() }
                return lines[offset].events
            }
            if lines[offset].waitsExpireAtOnce || !condition.wait(until: deadline) { return [] }
        }
    }

    func release(offset: Int, requestID: Int) {
        locked {
            guard lines[offset].requestID == requestID else { return }
            lines[offset].consumer = nil
            lines[offset].settings = nil
            lines[offset].events = []
            condition.broadcast()
        }
    }

    // MARK: Internals (lock held)

    private func resolve(_ selector: LineSelector) -> Int? {
        switch selector {
        case .offset(let offset): lines.indices.contains(offset) ? offset : nil
        case .name(let wanted): lines.firstIndex { $0.name == wanted }
        }
    }

    private func physicalLevel(_ offset: Int) -> Bool {
        let line = lines[offset]
        if case .output = line.settings?.direction { return line.drivenLevel }
        if let external = line.externalLevel { return external }
        return line.settings?.bias == .pullUp
    }

    /// Queues an edge. Like the kernel, edges are logical: on an active-low line a physical
    /// falling edge is reported as rising.
    private func recordEdge(offset: Int, rising physicalRising: Bool, at stamp: UInt64? = nil) {
        guard let settings = lines[offset].settings, case .input = settings.direction else { return }
        let rising = physicalRising != settings.activeLow
        let wanted: Bool = switch settings.edge {
        case .none: false
        case .both: true
        case .rising: rising
        case .falling: !rising
        }
        guard wanted else { return }
        let now = stamp ?? timestampNs()
        if let debounce = settings.debounce, let last = lines[offset].lastEventNs {
            let windowNs = UInt64(debounce.components.seconds) * 1_000_000_000
                + UInt64(debounce.components.attoseconds / 1_000_000_000)
            if now &- last < windowNs { return }
        }
        lines[offset].lastEventNs = now
        lines[offset].events.append(EdgeEvent(kind: rising ? .rising : .falling, timestampNs: now, offset: offset))
        condition.broadcast()
    }

    private func withRequest<T>(
        _ offset: Int, _ requestID: Int, _ operation: String, _ body: (SimLine) throws(HardwareError) -> T
    ) throws(HardwareError) -> T {
        condition.lock()
        defer { condition.unlock() }
        guard lines[offset].requestID == requestID, lines[offset].consumer != nil else {
            throw HardwareError(.notFound, operation: operation, device: "\(name) line \(offset)", message: "line released")
        }
        return try body(lines[offset])
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}

/// A line request on a simulated chip.
struct SimLineRequest: GPIOLineRequest {
    let chip: SimGPIOChip
    let offset: Int
    let requestID: Int

    func read() throws(HardwareError) -> Bool { try chip.read(offset: offset, requestID: requestID) }
    func write(_ value: Bool) throws(HardwareError) { try chip.write(offset: offset, requestID: requestID, value: value) }
    func waitForEdgeEvents(timeout: Duration) throws(HardwareError) -> [EdgeEvent] {
        try chip.waitForEvents(offset: offset, requestID: requestID, timeout: timeout)
    }
    func release() { chip.release(offset: offset, requestID: requestID) }
}
