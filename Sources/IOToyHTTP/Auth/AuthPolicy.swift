import IOToyCore
/// What ``AuthPolicy/decide(method:path:remoteAddress:bearer:sessionRole:)`` says about a
/// request.
public enum AuthDecision: Sendable, Equatable {
    /// Go ahead; the requester's role (for a route anyone may use, `read` when they have none).
    case allow(Role)
    /// 401: no credentials, or a bad token, and what anonymous clients may do is not enough.
    case unauthorized
    /// 403: the requester is known but their role is not enough, or the device is read-only.
    case forbidden(needed: Role, have: Role)
}

/// Who may do what (the board file's `server.auth`).
///
/// A requester's role is the highest of: a valid bearer token's role, a browser session's
/// role, `admin` when the request comes from a ``trusted`` network, and the ``anonymous``
/// role. Each request needs a role (``neededRole(method:path:)``): `read` to look, `control`
/// to change, `admin` for the daemon's own commands.
public struct AuthPolicy: Sendable {
    /// The accepted tokens; nil when none are configured (an `Authorization` header is then
    /// ignored, as by a server without authentication).
    public var tokens: TokenStore?
    /// Networks whose clients are `admin` without a token.
    public var trusted: [IPNetwork]
    /// What clients without credentials may do; nil for nothing.
    public var anonymous: Role?
    /// When true, every request that changes something is refused (403) whatever the role,
    /// except logging in and out.
    public var readOnly: Bool

    /// No `auth` section in the board file: everyone is `admin`, as before authentication.
    public static let open = AuthPolicy(tokens: nil, trusted: [], anonymous: .admin, readOnly: false)

    /// The paths of the daemon's own commands, which need `admin` to change anything.
    public static let adminPaths: Set<String> = ["/_safe", "/_resume", "/_reload"]
    /// The paths anyone may POST to: the login exchanges a token for a session (and checks
    /// the token itself), the logout ends one.
    public static let anyonePaths: Set<String> = ["/_login", "/_logout"]

    /// The defaults of an `auth` section: only loopback is trusted, others may read.
    public init(tokens: TokenStore? = nil, trusted: [IPNetwork] = IPNetwork.loopback, anonymous: Role? = .read, readOnly: Bool = false) {
        self.tokens = tokens
        self.trusted = trusted
        self.anonymous = anonymous
        self.readOnly = readOnly
    }

    /// The role a request needs, or nil when anyone may make it.
    ///
    /// `GET`, `HEAD`, `OPTIONS`: `read`. `POST /_login`, `POST /_logout`: anyone. Any other
    /// method on `/_safe`, `/_resume`, `/_reload` or below them: `admin`. Every other method
    /// (`PUT`, `POST`, `DELETE`, unknown ones; `POST /_heartbeat` included): `control`.
    ///
    /// The admin paths are recognised loosely (case, percent-encoding, repeated or trailing
    /// slashes, a query), so that no spelling a router might accept gets by with less; the
    /// paths open to anyone only exactly.
    public static func neededRole(method: String, path: String) -> Role? {
        switch method {
        case "GET", "HEAD", "OPTIONS":
            return .read
        case "POST" where anyonePaths.contains(String(withoutQuery(path))):
            return nil
        default:
            let segments = normalizedSegments(path)
            if let first = segments.first, adminPaths.contains("/\(first)") { return .admin }
            return .control
        }
    }

    /// True for a method that may change something (anything but `GET`, `HEAD`, `OPTIONS`).
    public static func isChange(method: String) -> Bool {
        !["GET", "HEAD", "OPTIONS"].contains(method)
    }

    /// Decides a request.
    ///
    /// - Parameters:
    ///   - method: The HTTP method as sent (`GET`, `PUT`, …).
    ///   - path: The request's path (a query is ignored).
    ///   - remoteAddress: The peer's address as text (`192.0.2.7`, `fe80::1%eth0`), nil when
    ///     unknown (never trusted).
    ///   - bearer: The token from `Authorization: Bearer <token>`, if one was sent. A wrong one
    ///     is refused (401) even where anonymous clients would be let in, so a client learns
    ///     its token is bad; except on the routes anyone may use.
    ///   - sessionRole: The role of the request's valid session cookie, if any.
    public func decide(method: String, path: String, remoteAddress: String?, bearer: String?, sessionRole: Role?) -> AuthDecision {
        let needed = Self.neededRole(method: method, path: path)
        var tokenRole: Role?
        if let bearer, let tokens {
            if let match = tokens.role(forToken: bearer) {
                tokenRole = match.role
            } else if needed != nil {
                return .unauthorized
            }
        }
        let trustedRole: Role? = isTrusted(remoteAddress) ? .admin : nil
        let credentialed = [tokenRole, sessionRole, trustedRole].compactMap { $0 }.max()
        let have = [credentialed, anonymous].compactMap { $0 }.max()
        guard let needed else { return .allow(have ?? .read) }
        guard let have else { return .unauthorized }
        if readOnly, Self.isChange(method: method) { return .forbidden(needed: needed, have: have) }
        if have.allows(needed) { return .allow(have) }
        // Without credentials a token could help (401); with them it is the role (403).
        return credentialed == nil ? .unauthorized : .forbidden(needed: needed, have: have)
    }

    /// Everyone may do everything: no tokens, anonymous clients are admins, nothing read-only
    /// (``open``, the device without `server.auth`). ``decide(method:path:remoteAddress:bearer:sessionRole:)``
    /// then allows every request whatever it carries.
    public var allowsEveryone: Bool { tokens == nil && anonymous == .admin && !readOnly }

    /// True when `remoteAddress` lies in a trusted network.
    public func isTrusted(_ remoteAddress: String?) -> Bool {
        guard let remoteAddress, !trusted.isEmpty else { return false }
        return trusted.contains { $0.contains(remoteAddress) }
    }

    /// The path without `?query` or `#fragment`.
    private static func withoutQuery(_ path: String) -> Substring {
        path.prefix { $0 != "?" && $0 != "#" }
    }

    /// The path's non-empty segments, percent-decoded until nothing changes and lowercased.
    private static func normalizedSegments(_ path: String) -> [Substring] {
        var bytes = Array(withoutQuery(path).utf8)
        while let decoded = percentDecodedOnce(bytes) { bytes = decoded }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// The bytes with each `%XX` decoded, or nil when there is none (each pass shortens the
    /// bytes, so repeating it ends).
    private static func percentDecodedOnce(_ bytes: [UInt8]) -> [UInt8]? {
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                result.append(high << 4 | low)
                changed = true
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return changed ? result : nil
    }
}
