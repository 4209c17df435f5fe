import IOToyCore

/// Why a client request failed, from finding the device to the device's own answer.
public enum IOToyClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was typed as a device is not a name, `host:port` or IP address.
    case invalidAddress(String, reason: String)
    /// What was typed as a path is not a resource path.
    case invalidPath(String, reason: String)
    /// No `_iotoy._tcp` service of that name answered over mDNS.
    case deviceNotFound(name: String)
    /// Names cannot be looked up: avahi-daemon is not reachable.
    case discoveryUnavailable(name: String, reason: String)
    /// Nothing answered at the device's address (refused, unreachable, timed out).
    case unreachable(device: String, url: String, reason: String)
    /// The device answered with an IOTOY exception (404, 422, 503…).
    case rejected(IOToyException)
    /// The device answered something that is not IOTOY JSON.
    case unexpectedAnswer(url: String, status: Int, reason: String)
    /// The device's description has no resource at `path`.
    case noSuchResource(path: String, suggestions: [String])
    /// The operation does not apply to what is at `path` (setting a function, calling a directory).
    case wrongKind(path: String, is: String, wanted: String)
    /// A function was given the wrong number of arguments.
    case wrongArgumentCount(path: String, usage: String, given: Int)
    /// An argument or value does not convert to the type the device declares.
    case badArgument(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text, let reason):
            "'\(text)' is not a device: \(reason) (give an mDNS name, host:port or an IP address)"
        case .invalidPath(let text, let reason):
            "'\(text)' is not a resource path: \(reason)"
        case .deviceNotFound(let name):
            "no device named '\(name)' found on the network (mDNS, _iotoy._tcp); try 'iotoy browse', or give host:port"
        case .discoveryUnavailable(let name, let reason):
            "cannot look up '\(name)' over mDNS: \(reason); give host:port instead"
        case .unreachable(let device, let url, let reason):
            "\(device) does not answer at \(url): \(reason)"
        case .rejected(let exception):
            exception.description
        case .unexpectedAnswer(let url, let status, let reason):
            "\(url): unexpected answer (HTTP \(status)): \(reason)"
        case .noSuchResource(let path, let suggestions):
            "\(path): no such resource on the device" + (suggestions.isEmpty ? "" : " (has: \(suggestions.joined(separator: ", ")))")
        case .wrongKind(let path, let kind, let wanted):
            "\(path) is \(kind), not \(wanted)"
        case .wrongArgumentCount(let path, let usage, let given):
            "\(path) takes \(usage), given \(given) argument\(given == 1 ? "" : "s")"
        case .badArgument(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
