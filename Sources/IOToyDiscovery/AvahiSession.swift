import CAvahi
import Synchronization

/// One connection to the system's avahi-daemon: an Avahi threaded poll (Avahi's own thread)
/// and a client on it.
///
/// Threading: every Avahi callback runs on the poll thread with the poll lock held, and calls
/// ``handler`` there. Code on any other thread touches Avahi objects only inside
/// ``withLock(_:)``. The handler must never call ``withLock(_:)`` or ``close()`` (the lock is
/// not recursive and the poll thread cannot stop itself). `client` is guarded by the poll lock.
///
/// When the daemon goes away (restart, upgrade), Avahi reports a disconnected client; the
/// session frees it and connects again waiting for the daemon, as `avahi-publish` does, after
/// telling the handler with ``Event/lost`` so it forgets the groups and browsers freed with it.
final class AvahiSession: @unchecked Sendable {
    /// What the session reports to its owner, on the poll thread with the lock held.
    enum Event {
        /// The daemon's server is running: add services, start browsers. The client pointer is
        /// valid until the next ``lost`` or the session's close.
        case running(OpaquePointer)
        /// The host name is being (re-)established: withdraw entries and wait for ``running``.
        case registering
        /// The daemon is not there yet (only when waiting for it).
        case waitingForDaemon
        /// The connection to the daemon broke; every entry group, browser and resolver made
        /// with the old client is gone. The session reconnects when waiting for the daemon.
        case lost
        /// The session cannot go on; close it.
        case failed(DiscoveryError)
    }

    private let poll: OpaquePointer
    private let waitsForDaemon: Bool
    /// Guarded by the poll lock (or exclusive before the poll thread starts).
    private var client: OpaquePointer?
    /// Guarded by the poll lock; cleared on close to break the reference cycle.
    private var handler: ((Event) -> Void)?
    private let closed = Atomic<Bool>(false)

    private init(poll: OpaquePointer, waitsForDaemon: Bool, handler: @escaping (Event) -> Void) {
        self.poll = poll
        self.waitsForDaemon = waitsForDaemon
        self.handler = handler
    }

    /// Connects to avahi-daemon and starts Avahi's thread.
    ///
    /// - Parameter waitsForDaemon: when true (`AVAHI_CLIENT_NO_FAIL`), a missing daemon is
    ///   waited for and a restarted one reconnected; when false a missing daemon fails at once.
    ///   Either way a missing system D-Bus fails at once with ``DiscoveryError/daemonUnavailable(_:)``.
    /// - Parameter handler: called on Avahi's thread, possibly already during this call.
    static func open(waitsForDaemon: Bool, handler: @escaping (Event) -> Void) throws(DiscoveryError) -> AvahiSession {
        guard let poll = avahi_threaded_poll_new() else {
            throw DiscoveryError.avahi(operation: "avahi_threaded_poll_new", code: Int32(AVAHI_ERR_NO_MEMORY))
        }
        let session = AvahiSession(poll: poll, waitsForDaemon: waitsForDaemon, handler: handler)
        if let error = session.connect() {
            session.handler = nil
            avahi_threaded_poll_free(poll)
            session.closed.store(true, ordering: .sequentiallyConsistent)
            throw error
        }
        guard avahi_threaded_poll_start(poll) >= 0 else {
            session.close()
            throw DiscoveryError.avahi(operation: "avahi_threaded_poll_start", code: Int32(AVAHI_ERR_FAILURE))
        }
        return session
    }

    /// Creates the client; its callback may run before this returns. Nil on success.
    private func connect() -> DiscoveryError? {
        var error: Int32 = 0
        let flags = waitsForDaemon ? AVAHI_CLIENT_NO_FAIL : AvahiClientFlags(rawValue: 0)
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        guard let created = avahi_client_new(avahi_threaded_poll_get(poll), flags, clientCallback, userdata, &error) else {
            return DiscoveryError(avahiCode: error, operation: "connecting to avahi-daemon")
        }
        client = created
        return nil
    }

    /// Runs `body` with the poll lock held and the current client (nil while reconnecting).
    /// Never call from a handler.
    func withLock<T>(_ body: (OpaquePointer?) throws -> T) rethrows -> T {
        avahi_threaded_poll_lock(poll)
        defer { avahi_threaded_poll_unlock(poll) }
        return try body(client)
    }

    /// Stops Avahi's thread and frees the client with everything made from it (entry groups are
    /// withdrawn). Idempotent. Never call from a handler.
    func close() {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        avahi_threaded_poll_stop(poll)
        if let client { avahi_client_free(client) }
        client = nil
        handler = nil
        avahi_threaded_poll_free(poll)
    }

    deinit { close() }

    /// The client's state changed (poll thread, lock held; or inside `avahi_client_new`).
    fileprivate func clientChanged(_ changed: OpaquePointer?, _ state: AvahiClientState) {
        if let changed { client = changed }
        switch state {
        case AVAHI_CLIENT_S_RUNNING:
            if let changed { handler?(.running(changed)) }
        case AVAHI_CLIENT_S_REGISTERING, AVAHI_CLIENT_S_COLLISION:
            handler?(.registering)
        case AVAHI_CLIENT_CONNECTING:
            handler?(.waitingForDaemon)
        case AVAHI_CLIENT_FAILURE:
            let code = changed.map { avahi_client_errno($0) } ?? Int32(AVAHI_ERR_FAILURE)
            if code == Int32(AVAHI_ERR_DISCONNECTED), waitsForDaemon {
                handler?(.lost)
                if let changed { avahi_client_free(changed) }
                client = nil
                if let error = connect() { handler?(.failed(error)) }
            } else {
                handler?(.failed(DiscoveryError(avahiCode: code, operation: "talking to avahi-daemon")))
            }
        default:
            break
        }
    }
}

/// `AvahiClientCallback`: finds the session in `userdata` and passes the change on.
private let clientCallback: AvahiClientCallback = { client, state, userdata in
    guard let userdata else { return }
    Unmanaged<AvahiSession>.fromOpaque(userdata).takeUnretainedValue().clientChanged(client, state)
}
