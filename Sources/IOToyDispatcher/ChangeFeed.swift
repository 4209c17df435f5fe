import IOToyCore
import Synchronization

/// One change to the tree: a sample, an edge, a set, a call, a component started, faulted or recovered.
public struct ChangeEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        case sample, edge, set, call, started, fault, recovered
        /// The tree changed shape: a self-describing device mounted (again).
        case tree
        /// An actuator was put into its safe state by its failsafe deadline or an emergency
        /// stop (`detail` says which).
        case failsafe
    }

    /// Increases by one for every event of the feed.
    public let sequence: UInt64
    public let kind: Kind
    public let path: ResourcePath
    /// The new value (the result, for calls); nil for faults and recoveries.
    public let value: JSONValue?
    /// `rising` / `falling` for edges, the reason for faults.
    public let detail: String?
    /// Wall-clock time, seconds since the Unix epoch.
    public let timestamp: Double
    /// The hardware's own timestamp (the kernel's for GPIO edges), in nanoseconds.
    public let hardwareTimestampNs: UInt64?
    /// The resource's IOTOY representation after the change, encoded once (values and call
    /// results), for the stream's `data:`; nil when the event has none of its own.
    public let representation: [UInt8]?
}

/// The one change feed: every change in the tree goes through it, in order, to every
/// subscriber (later: SSE and long-poll watchers, bridges). A slow subscriber loses its
/// oldest events rather than slowing the hardware.
public final class ChangeFeed: Sendable {
    private let state = Mutex(State())
    private let bufferSize: Int

    struct State {
        var sequence: UInt64 = 0
        var subscribers: [Int: AsyncStream<ChangeEvent>.Continuation] = [:]
        var sinks: [@Sendable (ChangeEvent) -> Void] = []
        var nextID = 0
    }

    /// `startingAfter`: the sequence number before the first event. A daemon starts it at its
    /// start time in microseconds, so ids keep increasing across restarts and a client that
    /// resumes with an id from an earlier run is never mistaken for one that missed nothing.
    public init(bufferSize: Int = 256, startingAfter sequence: UInt64 = 0) {
        self.bufferSize = bufferSize
        state.withLock { $0.sequence = sequence }
    }

    /// A stream of every event published from now on.
    public func subscribe() -> AsyncStream<ChangeEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChangeEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Calls `sink` with every event from now on, synchronously and in order, inside
    /// ``publish``: for consumers that must see every event at once and never block (the
    /// event journal that streams go through). A sink must be quick and must not publish.
    public func addSink(_ sink: @escaping @Sendable (ChangeEvent) -> Void) {
        state.withLock { $0.sinks.append(sink) }
    }

    /// The number of current subscribers.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Publishes an event to every subscriber and returns it with its sequence number.
    @discardableResult
    public func publish(
        _ kind: ChangeEvent.Kind, path: ResourcePath, value: JSONValue?, detail: String? = nil,
        timestamp: Double, hardwareTimestampNs: UInt64? = nil, representation: [UInt8]? = nil
    ) -> ChangeEvent {
        state.withLock { state in
            state.sequence += 1
            let event = ChangeEvent(
                sequence: state.sequence, kind: kind, path: path, value: value, detail: detail,
                timestamp: timestamp, hardwareTimestampNs: hardwareTimestampNs, representation: representation)
            for sink in state.sinks { sink(event) }
            for continuation in state.subscribers.values { continuation.yield(event) }
            return event
        }
    }

    /// The sequence number of the last event published.
    public var lastSequence: UInt64 { state.withLock { $0.sequence } }

    /// Ends every subscription.
    public func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return state.subscribers.values
        }
        for continuation in subscribers { continuation.finish() }
    }
}
