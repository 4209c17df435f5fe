import CoreMetrics
import DequeModule
import IOToyCore
import Synchronization

/// The change feed as the stream serves it: every event is encoded once into a
/// ``StreamFrame``, kept in a ring of the last ``capacity`` frames (so a client that
/// reconnects with `Last-Event-ID` gets what it missed), and offered to every watcher of its
/// part of the tree. Fed synchronously by the feed; never waits on a watcher.
public final class EventJournal: Sendable {
    /// Frames kept for resuming.
    public let capacity: Int
    /// Watchers allowed at once; more are refused (503).
    public let maximumWatchers: Int
    /// Frames a watcher may have waiting before its oldest are dropped.
    public let watcherCapacity: Int
    /// How long a stream may be silent before a keep-alive comment.
    public let keepAlive: Duration
    let clock: ElapsedClock
    /// Counts the frames watchers lost for not keeping up (`/metrics`).
    let droppedEvents: Counter?
    private let state = Mutex(State())

    struct State {
        var ring: Deque<StreamFrame> = []
        var watchers: [ObjectIdentifier: StreamWatcher] = [:]
        var lastSequence: UInt64 = 0
        var closed = false
    }

    public init(
        feed: ChangeFeed, clock: some Clock<Duration> = ContinuousClock(), capacity: Int = 1024, maximumWatchers: Int = 64,
        watcherCapacity: Int = 256, keepAlive: Duration = .seconds(15), droppedEvents: Counter? = nil
    ) {
        self.droppedEvents = droppedEvents
        self.capacity = capacity
        self.maximumWatchers = maximumWatchers
        self.watcherCapacity = watcherCapacity
        self.keepAlive = keepAlive
        self.clock = ElapsedClock(clock)
        state.withLock { $0.lastSequence = feed.lastSequence }
        feed.addSink { [weak self] event in self?.record(event) }
    }

    /// The number of connected watchers.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    func record(_ event: ChangeEvent) {
        let frame = StreamFrame(event)
        state.withLock { state in
            state.lastSequence = event.sequence
            guard let frame else { return }
            state.ring.append(frame)
            if state.ring.count > capacity { state.ring.removeFirst() }
            var dropped = 0
            for watcher in state.watchers.values where watcher.wants(frame.path) {
                if !watcher.offer(frame) { dropped += 1 }
            }
            if dropped > 0 { droppedEvents?.increment(by: dropped) }
        }
    }

    /// Starts watching `path` and below. A new watcher first gets `current()` (the cached
    /// values, so a dashboard never starts blank); one that resumes after `lastEventID` gets
    /// the frames it missed instead, or, when they are no longer kept, a `reset` frame and
    /// then the current values.
    public func watch(
        below path: ResourcePath, rate: Duration? = nil, resumingAfter lastEventID: UInt64? = nil,
        current: () -> [(path: ResourcePath, representation: [UInt8])]
    ) throws(IOToyError) -> StreamWatcher {
        try state.withLock { (state: inout State) throws(IOToyError) -> StreamWatcher in
            guard !state.closed else { throw IOToyError(.hardwareFault, code: "shutting_down", message: "iotoyd is shutting down") }
            guard state.watchers.count < maximumWatchers else {
                throw IOToyError(
                    .hardwareFault, code: "too_many_watchers",
                    message: "\(maximumWatchers) streams are open already (server.max_watchers)")
            }
            var initial: [StreamFrame]
            let sequence = state.lastSequence
            func snapshot() -> [StreamFrame] {
                current().map { StreamFrame(sequence: sequence, path: $0.path, name: "value", data: $0.representation, coalescible: true) }
            }
            if let lastEventID {
                let oldest = state.ring.first?.sequence ?? state.lastSequence + 1
                // Nothing missed, or all of it kept (an id from before a restart is a gap too).
                if lastEventID <= state.lastSequence, lastEventID + 1 >= oldest {
                    initial = state.ring.filter { $0.sequence > lastEventID && $0.path.hasPrefix(path) }
                } else {
                    initial = [StreamFrame.reset(after: lastEventID, oldest: oldest)] + snapshot()
                }
            } else {
                initial = snapshot()
            }
            if initial.count > watcherCapacity { initial = Array(initial.suffix(watcherCapacity)) }
            let watcher = StreamWatcher(
                path: path, rate: rate, capacity: watcherCapacity, keepAlive: keepAlive, clock: clock, initial: initial)
            state.watchers[ObjectIdentifier(watcher)] = watcher
            return watcher
        }
    }

    /// Stops offering frames to `watcher` (its connection is gone).
    public func remove(_ watcher: StreamWatcher) {
        state.withLock { _ = $0.watchers.removeValue(forKey: ObjectIdentifier(watcher)) }
        watcher.finish()
    }

    /// Ends every stream and refuses new ones (graceful shutdown).
    public func close() {
        let watchers = state.withLock { state in
            state.closed = true
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.finish() }
    }
}
