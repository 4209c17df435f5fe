import CMosquitto
import DequeModule
import class Foundation.Thread
import Glibc
import Logging
import Synchronization

/// An MQTT connection through libmosquitto, on a thread of its own: nothing here ever blocks
/// the caller. ``publish(_:)`` queues (bounded: the oldest message makes room, counted as
/// dropped); the thread connects, sends, receives and keeps the connection alive, and after
/// a refusal or a lost connection retries with back-off (1 s doubling to 30 s) for as long as
/// it runs. Subscriptions are renewed at every connection. What happens is told on ``events``.
///
/// Every libmosquitto call is made on the client's thread (libmosquitto's "external loop":
/// poll(2) on its socket and on an eventfd that ``publish(_:)`` writes to wake it).
public final class MQTTClient: Sendable {
    public let settings: MQTTSettings
    /// Connections, refusals, messages on subscribed topics. Buffers the newest 256.
    public let events: AsyncStream<MQTTEvent>
    let continuation: AsyncStream<MQTTEvent>.Continuation
    let logger: Logger
    let metrics: MQTTClientMetrics
    let shared = Mutex(Shared())
    /// Written to wake the thread; read by it.
    let wakeDescriptor: Int32
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let threadDone = Mutex(false)

    struct Shared {
        var queue: Deque<MQTTMessage> = []
        var subscriptions: Set<String> = []
        var connected = false
        var stopping = false
        /// Published just before the clean disconnect at ``stop(final:)``.
        var finalMessage: MQTTMessage?
        var started = false
    }

    public init(settings: MQTTSettings, logger: Logger, metrics: MQTTClientMetrics = MQTTClientMetrics()) {
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        (events, continuation) = AsyncStream.makeStream(of: MQTTEvent.self, bufferingPolicy: .bufferingNewest(256))
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        metrics.connected.record(0)
    }

    deinit {
        if wakeDescriptor >= 0 { close(wakeDescriptor) }
    }

    /// Whether the broker has accepted the connection and it has not been lost since.
    public var isConnected: Bool { shared.withLock { $0.connected } }

    /// Messages queued and not yet handed to the connection.
    public var queuedCount: Int { shared.withLock { $0.queue.count } }

    /// Starts the thread (once).
    public func start() {
        let first = shared.withLock { shared -> Bool in
            defer { shared.started = true }
            return !shared.started
        }
        guard first else { return }
        let session = MosquittoSession(client: self)
        let thread = Thread { session.run() }
        thread.name = "mqtt:\(settings.host)"
        thread.start()
    }

    /// Queues `message`; never waits. While the broker is away the queue keeps the newest
    /// ``MQTTSettings/queueCapacity`` messages.
    public func publish(_ message: MQTTMessage) {
        let dropped = shared.withLock { shared -> Int in
            shared.queue.append(message)
            var dropped = 0
            while shared.queue.count > settings.queueCapacity {
                shared.queue.removeFirst()
                dropped += 1
            }
            return dropped
        }
        if dropped > 0 { metrics.dropped.increment(by: dropped) }
        wake()
    }

    /// The topics to be subscribed to (at QoS 1) from now on and at every connection.
    public func setSubscriptions(_ topics: Set<String>) {
        shared.withLock { $0.subscriptions = topics }
        wake()
    }

    /// Publishes `final` (a retained `offline`, so no will is needed), disconnects cleanly and
    /// ends the thread; returns once it has ended.
    public func stop(final: MQTTMessage? = nil) async {
        let started = shared.withLock { shared -> Bool in
            shared.stopping = true
            shared.finalMessage = final
            return shared.started
        }
        wake()
        guard started else { continuation.finish(); return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = threadDone.withLock { done -> Bool in
                if !done { finished.withLock { $0 = waiter } }
                return done
            }
            if done { waiter.resume() }
        }
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Called by the thread as it ends.
    func threadEnded() {
        continuation.finish()
        let waiter = threadDone.withLock { done -> CheckedContinuation<Void, Never>? in
            done = true
            return finished.withLock { $0 }
        }
        waiter?.resume()
    }
}
