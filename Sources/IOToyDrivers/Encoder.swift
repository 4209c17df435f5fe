import IOToyCore
import IOToyHAL
import Synchronization

/// `encoder`: a quadrature rotary encoder on two input lines, decoded x4 from their edges
/// (``QuadratureDecoder``). `count` (resettable by writing 0), `rate` in counts/s from the
/// edges' kernel timestamps (``EncoderRate``), `errors` (edges the kernel lost), and with
/// `counts_per_rev` also `revolutions` and `rpm`.
///
/// Event-driven: the owner waits for edges whenever it is idle and every batch it gets
/// updates the cached values that changed. The rate falls to 0 through the same wait: a wait
/// that times out with no edge on either line is that much quiet time, in the wait's own
/// terms, so no clock is read and nothing runs while the encoder is still.
public final class Encoder: Component {
    /// What the board file says about the encoder.
    public struct Configuration: Sendable, Hashable {
        public var chip: ChipSelector
        public var a: LineSelector
        public var b: LineSelector
        public var bias: LineBias = .asIs
        /// Counts backwards: forward is B leading A.
        public var invert = false
        /// Counts (x4) per revolution of what the encoder turns; nil: no revolutions or rpm.
        public var countsPerRevolution: Double?
        /// How far back `rate` looks, and how long without edges makes it 0.
        public var rateWindow: Duration = .milliseconds(200)
        public var help = "Quadrature encoder"

        public init(chip: ChipSelector, a: LineSelector, b: LineSelector) {
            self.chip = chip
            self.a = a
            self.b = b
        }
    }

    /// How long the owner waits for edges at a time (queued requests wait for it to end).
    public static let eventSlice: Duration = .milliseconds(50)

    struct State {
        var decoder = QuadratureDecoder(a: false, b: false)
        var rate: EncoderRate
        var published: [[String]: Value] = [:]
    }

    private let gpio: any GPIOProvider
    private let configuration: Configuration
    private let consumer: String
    private let lineA: RequestedLine
    private let lineB: RequestedLine
    private let state: Mutex<State>

    public init(gpio: any GPIOProvider, configuration: Configuration, consumer: String) {
        self.gpio = gpio
        self.configuration = configuration
        self.consumer = consumer
        lineA = RequestedLine(chip: configuration.chip, line: configuration.a)
        lineB = RequestedLine(chip: configuration.chip, line: configuration.b)
        state = Mutex(State(rate: EncoderRate(window: configuration.rateWindow)))
    }

    public var endpoints: [Endpoint] {
        var endpoints = [
            Endpoint(["count"], .attribute(AttributeInfo(
                type: .int, help: "Edges counted on both lines (x4), forward positive; PUT 0 to reset", writable: true))),
            Endpoint(["rate"], .attribute(AttributeInfo(
                type: .float, help: "Counts per second over the last edges; 0 once none come",
                constraints: Constraints(unit: "counts/s"), writable: false))),
            Endpoint(["errors"], .attribute(AttributeInfo(
                type: .int, help: "Edges that left their line's level unchanged: a pair the kernel lost (not counted)",
                writable: false))),
        ]
        if configuration.countsPerRevolution != nil {
            endpoints += [
                Endpoint(["revolutions"], .attribute(AttributeInfo(
                    type: .float, help: "count / counts_per_rev", constraints: Constraints(unit: "rev"), writable: false))),
                Endpoint(["rpm"], .attribute(AttributeInfo(
                    type: .float, help: "rate in revolutions per minute", constraints: Constraints(unit: "rpm"), writable: false))),
            ]
        }
        return endpoints
    }

    public var schedule: Schedule { .eventDriven(slice: Self.eventSlice, servesValues: true) }

    public func start() throws {
        let settings = LineSettings(direction: .input, bias: configuration.bias, edge: .both)
        try lineA.open(gpio, settings: settings, consumer: consumer)
        do {
            try lineB.open(gpio, settings: settings, consumer: consumer)
            let levels = (a: try lineA.current().read(), b: try lineB.current().read())
            state.withLock { state in
                state.decoder = QuadratureDecoder(a: levels.a, b: levels.b)
                state.rate.forget()
                state.published = values(of: state)
            }
        } catch {
            stop()
            throw error
        }
    }

    public func read(_ path: [String]) throws -> Value {
        _ = try lineA.current()
        guard let value = state.withLock({ values(of: $0)[path] }) else {
            throw ComponentError(.noSuchResource, "no such attribute")
        }
        return value
    }

    /// `count` takes 0 only: a reset. The rate starts again from the next edges.
    public func write(_ path: [String], value: Value) throws {
        guard path == ["count"] else { throw ComponentError(.readOnly, "this attribute is read-only") }
        guard case .int(let count) = value else { throw ComponentError(.badValue, "expected an int") }
        guard count == 0 else {
            throw ComponentError(.outOfRange, "count can only be reset to 0, not set to \(count)", detail: "only 0")
        }
        _ = try lineA.current()
        state.withLock { state in
            state.decoder.setCount(0)
            state.rate.forget()
        }
    }

    /// Waits up to half the slice for edges on A, then on B (at once when A had some, so a
    /// turning shaft is read without delay; the other half when A was still), and once more
    /// on A when B had edges. The edges are decoded in the kernel's timestamp order; the
    /// values that changed are answered. A slice with no edge on either line is quiet time.
    public func waitForEvents(timeout: Duration) throws -> [ComponentEvent] {
        let a = try lineA.current(), b = try lineB.current()
        var edges = try a.waitForEdgeEvents(timeout: timeout / 2).map { (QuadratureDecoder.Line.a, $0) }
        let onB = try b.waitForEdgeEvents(timeout: edges.isEmpty ? timeout / 2 : .zero).map { (QuadratureDecoder.Line.b, $0) }
        if !onB.isEmpty { edges += try a.waitForEdgeEvents(timeout: .zero).map { (QuadratureDecoder.Line.a, $0) } }
        edges += onB
        edges.sort { $0.1.timestampNs < $1.1.timestampNs }
        let sign = configuration.invert ? -1 : 1
        return state.withLock { state in
            if edges.isEmpty {
                state.rate.quiet(for: timeout)
            } else {
                for (line, edge) in edges {
                    let step = state.decoder.apply(line, rising: edge.kind == .rising)
                    if step != 0 { state.rate.record(count: state.decoder.count * sign, at: edge.timestampNs) }
                }
            }
            let current = values(of: state)
            let changed = current.filter { state.published[$0.key] != $0.value }
            state.published = current
            return changed.keys.sorted { $0.joined() < $1.joined() }.map { ComponentEvent(path: $0, value: changed[$0]!) }
        }
    }

    public func stop() {
        lineA.release()
        lineB.release()
    }

    /// Every attribute's value in `state`.
    private func values(of state: State) -> [[String]: Value] {
        let count = state.decoder.count * (configuration.invert ? -1 : 1)
        let rate = state.rate.countsPerSecond
        var values: [[String]: Value] = [["count"]: .int(count), ["rate"]: .float(rate), ["errors"]: .int(state.decoder.missedEdges)]
        if let perRevolution = configuration.countsPerRevolution {
            values[["revolutions"]] = .float(Double(count) / perRevolution)
            values[["rpm"]] = .float(rate / perRevolution * 60)
        }
        return values
    }
}
