import IOToyCore
import Synchronization

/// Browser sessions: a browser exchanges a token for a session id (`POST /_login`) and sends
/// the id back in a cookie, so the token need not stay in the page.
///
/// Ids are 32 random bytes in URL-safe base64 without padding (43 characters). Only their
/// SHA-256 is kept, so a lookup's timing and the process's memory say nothing about the ids. A
/// session ends after ``idleTimeout`` without use (12 hours by default); at most ``capacity``
/// live at once, the least recently used ending first. Time comes from an injected monotonic
/// `now`, as for ``FailedAuthLimiter``.
public final class SessionStore: Sendable {
    /// How long a session lives without use.
    public let idleTimeout: Duration
    /// The most sessions kept at once.
    public let capacity: Int

    private struct Session {
        let role: Role
        var lastUsed: Duration
    }

    private let now: @Sendable () -> Duration
    /// Sessions by the SHA-256 (hex) of their id.
    private let sessions: Mutex<[String: Session]>

    /// The longest id looked up; longer ones are not ours and are not hashed.
    private static let maximumIDLength = 128

    public init(idleTimeout: Duration = .seconds(12 * 60 * 60), capacity: Int = 1024, now: @escaping @Sendable () -> Duration) {
        self.idleTimeout = idleTimeout
        self.capacity = max(1, capacity)
        self.now = now
        self.sessions = Mutex([:])
    }

    /// Starts a session with `role` and returns its id, for the cookie.
    public func create(role: Role) -> String {
        let id = TokenStore.generateToken()
        let key = TokenStore.hash(id)
        let now = self.now()
        sessions.withLock { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { now - $0.value.lastUsed < idleTimeout }
            }
            while sessions.count >= capacity {
                guard let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { break }
                sessions[oldest] = nil
            }
            sessions[key] = Session(role: role, lastUsed: now)
        }
        return id
    }

    /// The role of the live session `id`, or nil when there is none (unknown, ended or idle
    /// too long). A lookup counts as use and restarts the idle time.
    public func role(forSession id: String) -> Role? {
        guard !id.isEmpty, id.utf8.count <= Self.maximumIDLength else { return nil }
        let key = TokenStore.hash(id)
        let now = self.now()
        return sessions.withLock { sessions -> Role? in
            guard var session = sessions[key] else { return nil }
            guard now - session.lastUsed < idleTimeout else {
                sessions[key] = nil
                return nil
            }
            session.lastUsed = now
            sessions[key] = session
            return session.role
        }
    }

    /// Ends the session `id` (logging out); nothing happens when there is none.
    public func remove(session id: String) {
        guard !id.isEmpty, id.utf8.count <= Self.maximumIDLength else { return }
        let key = TokenStore.hash(id)
        sessions.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Ends every session, as when the tokens change.
    public func removeAll() {
        sessions.withLock { $0.removeAll() }
    }

    /// How many sessions are kept, idle ones not yet dropped included.
    public var count: Int {
        sessions.withLock { $0.count }
    }
}
