import CAvahi

/// Why advertising, browsing or resolving through Avahi failed.
public enum DiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// avahi-daemon (or the system D-Bus it is reached through) is not running; the text says which.
    case daemonUnavailable(String)
    /// No service of `type` named `name` answered in time.
    case notFound(name: String, type: String)
    /// An Avahi call failed with `code` (an `AVAHI_ERR_*` value).
    case avahi(operation: String, code: Int32)

    /// Maps an Avahi error code: the ones that mean "no daemon" become ``daemonUnavailable(_:)``.
    init(avahiCode code: Int32, operation: String) {
        switch Int(code) {
        case AVAHI_ERR_NO_DAEMON:
            self = .daemonUnavailable("avahi-daemon is not running")
        case AVAHI_ERR_DISCONNECTED:
            self = .daemonUnavailable("the connection to avahi-daemon broke")
        case AVAHI_ERR_DBUS_ERROR:
            self = .daemonUnavailable("D-Bus error while \(operation)")
        default:
            self = .avahi(operation: operation, code: code)
        }
    }

    /// Avahi's text for an error code.
    static func message(_ code: Int32) -> String {
        guard let text = avahi_strerror(code) else { return "Avahi error \(code)" }
        return String(cString: text)
    }

    public var description: String {
        switch self {
        case .daemonUnavailable(let reason):
            reason
        case .notFound(let name, let type):
            "no device named '\(name)' found on the network (\(type))"
        case .avahi(let operation, let code):
            "\(operation): \(Self.message(code))"
        }
    }
}
