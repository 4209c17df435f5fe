import Foundation
import HTTPTypes
import Hummingbird
import IOToyCore
import Logging
import Synchronization

/// The one access check in front of every route (resources, `/devinfo`, streams, `/_ui`,
/// `/_sim`, `/_heartbeat`, `/_safe`, `/_resume`, `/_reload`): who is asking (a bearer token, a browser
/// session, a trusted network, or nobody) against what the route needs (``AuthPolicy``).
/// Also the login that trades a token for a session cookie, and the limit on failed attempts.
public final class AccessGate: Sendable {
    private let currentPolicy: Mutex<AuthPolicy>
    let limiter: FailedAuthLimiter
    let sessions: SessionStore

    /// The session cookie's name.
    static let cookieName = "iotoy_session"

    public init(policy: AuthPolicy, now: @escaping @Sendable () -> Duration = AccessGate.monotonicNow) {
        self.currentPolicy = Mutex(policy)
        self.limiter = FailedAuthLimiter(now: now)
        self.sessions = SessionStore(now: now)
    }

    /// The policy in force.
    public var policy: AuthPolicy { currentPolicy.withLock { $0 } }

    /// Puts a reloaded board's policy (tokens, trusted networks, anonymous role, read-only)
    /// in force for the next request. Browser sessions already open keep their role.
    public func replacePolicy(_ policy: AuthPolicy) {
        currentPolicy.withLock { $0 = policy }
    }

    /// No `server.auth`: everyone may do everything, as before access control.
    public static let open = AccessGate(policy: .open)

    /// Whether tokens are asked for (`auth=token` in the mDNS TXT record).
    public var requiresTokens: Bool { policy.tokens != nil }

    public static let monotonicNow: @Sendable () -> Duration = {
        let start = ContinuousClock.now
        return { ContinuousClock.now - start }
    }()

    /// The only requests anyone may make: the dashboard's own files (HTML, JS and CSS, no data
    /// of the device: the page asks for a token when the data is refused) and a browser's
    /// redirect from `/` to them.
    static func isPublic(_ request: Request, path: String) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        if path == "/" { return IOToyResponder.wantsDashboard(request, path: path) }
        guard path.utf8.starts(with: "/_ui".utf8) else { return false }
        if path == "/_ui" { return true }
        guard path.utf8.starts(with: "/_ui/".utf8) else { return false }
        return IOToyResponder.dashboardFiles[String(path.utf8.dropFirst(5))!] != nil
    }

    /// The refusal for `request` to `rawPath` (its path, as `request.uri.path` gives it), or
    /// nil when it may go ahead.
    func refusal(for request: Request, rawPath: String, context: IOToyRequestContext) -> Response? {
        // No `server.auth`: everyone may do everything, so nothing is looked up (the policy's
        // copy, the peer's address as text, the limiter's lock) on the way to every answer.
        if currentPolicy.withLock({ $0.allowsEveryone }) { return nil }
        if Self.isPublic(request, path: rawPath) { return nil }
        let policy = self.policy
        let remote = context.channel.remoteAddress?.ipAddress
        if let remote, let wait = limiter.retryAfter(remote) {
            let seconds = max(1, Int(wait.components.seconds))
            var answer = IOToyResponder.failure(
                IOToyError(.tooManyRequests, message: "too many failed authentications from \(remote); retry in \(seconds) s"),
                href: IOToyResponder.echoed(rawPath))
            answer.headers[.retryAfter] = "\(seconds)"
            return answer
        }
        let bearer = Self.bearer(request)
        let sessionRole = Self.cookie(request).flatMap { sessions.role(forSession: $0) }
        let decision = policy.decide(
            method: request.method.rawValue, path: rawPath, remoteAddress: remote, bearer: bearer, sessionRole: sessionRole)
        switch decision {
        case .allow:
            return nil
        case .unauthorized:
            if bearer != nil, let remote { limiter.recordFailure(remote) }
            if bearer != nil {
                context.logger.warning("authentication failed", metadata: ["path": "\(IOToyResponder.echoed(rawPath))", "client": "\(remote ?? "?")"])
            }
            var answer = IOToyResponder.failure(
                IOToyError(.unauthorized, message: bearer == nil ? "a token is needed (Authorization: Bearer <token>)" : "the token is not valid"),
                href: IOToyResponder.echoed(rawPath))
            answer.headers[.wwwAuthenticate] = "Bearer realm=\"iotoyd\""
            return answer
        case .forbidden(let needed, let have):
            let message = policy.readOnly && AuthPolicy.isChange(method: request.method.rawValue)
                ? "this device is read-only (server.read_only)"
                : "the \(have.rawValue) role may not do this; it needs \(needed.rawValue)"
            return IOToyResponder.failure(IOToyError(.forbidden, message: message), href: IOToyResponder.echoed(rawPath))
        }
    }

    /// `POST /_login` with a token (as `Authorization: Bearer`, the bare body, or
    /// `{"token": …}`): a session cookie for browsers, whose EventSource cannot send headers.
    func login(_ request: Request, token: String?, context: IOToyRequestContext) -> Response {
        let remote = context.channel.remoteAddress?.ipAddress
        guard let token = Self.bearer(request) ?? token, let match = policy.tokens?.role(forToken: token) else {
            if let remote { limiter.recordFailure(remote) }
            context.logger.warning("login failed", metadata: ["client": "\(remote ?? "?")"])
            var answer = IOToyResponder.failure(IOToyError(.unauthorized, message: "the token is not valid"), href: "/_login")
            answer.headers[.wwwAuthenticate] = "Bearer realm=\"iotoyd\""
            return answer
        }
        let session = sessions.create(role: match.role)
        let representation = Representation(
            type: TypeURI.valuePrefix + "json", href: "/_login", help: "Logged in as \(match.name)",
            value: .object(["name": .string(match.name), "role": .string(match.role.rawValue)]))
        var answer = IOToyResponder.json((try? JSONCoding.encode(representation)) ?? [])
        answer.headers[.setCookie] = "\(Self.cookieName)=\(session); HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"
        return answer
    }

    /// `POST /_logout`: ends the browser's session.
    func logout(_ request: Request) -> Response {
        if let session = Self.cookie(request) { sessions.remove(session: session) }
        var answer = IOToyResponder.json(Array(#"{"help":"Logged out","href":"/_logout","type":"iotoy.org/types/null","value":null}"#.utf8))
        answer.headers[.setCookie] = "\(Self.cookieName)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        return answer
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingWhitespace()
    }

    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let item = String(pair).trimmingWhitespace()
                if item.hasPrefix(cookieName + "=") { return String(item.dropFirst(cookieName.count + 1)) }
            }
        }
        return nil
    }
}
