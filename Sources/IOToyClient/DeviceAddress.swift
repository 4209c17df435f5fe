/// Where a device is: an mDNS instance name to resolve, or a host and port to use as they are.
///
/// Parsed from what a person types: `robocat` and `robocat #2` are names; `pi.local:5000`,
/// `192.0.2.7:5000`, `[2001:db8::7]:5000` are endpoints; a bare IP address or `localhost`
/// is an endpoint on the IOTOY default port 5000.
public enum DeviceAddress: Sendable, Hashable, CustomStringConvertible {
    /// A DNS-SD instance name of `_iotoy._tcp`, resolved through Avahi.
    case name(String)
    /// A host name or IP address literal and a TCP port.
    case endpoint(host: String, port: Int)

    /// The port the original IOTOY host always used.
    public static let defaultPort = 5000

    /// Parses `name`, `host:port`, `[ipv6]:port`, `[ipv6]`, a bare IP address or `localhost`.
    public init(parsing text: String) throws(IOToyClientError) {
        guard !text.isEmpty else { throw IOToyClientError.invalidAddress(text, reason: "the device is empty") }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw IOToyClientError.invalidAddress(text, reason: "an IPv6 address needs its closing ']'")
            }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self = .endpoint(host: host, port: DeviceAddress.defaultPort)
            } else if rest.hasPrefix(":"), let port = DeviceAddress.port(rest.dropFirst()) {
                self = .endpoint(host: host, port: port)
            } else {
                throw IOToyClientError.invalidAddress(text, reason: "expected [address]:port")
            }
            return
        }
        let colons = text.filter { $0 == ":" }.count
        if colons >= 2 {
            self = .endpoint(host: text, port: DeviceAddress.defaultPort)       // a bare IPv6 address
        } else if colons == 1, let colon = text.firstIndex(of: ":") {
            guard let port = DeviceAddress.port(text[text.index(after: colon)...]), colon != text.startIndex else {
                throw IOToyClientError.invalidAddress(text, reason: "expected host:port with a port from 1 to 65535")
            }
            self = .endpoint(host: String(text[..<colon]), port: port)
        } else if text == "localhost" || DeviceAddress.isIPv4Literal(text) {
            self = .endpoint(host: text, port: DeviceAddress.defaultPort)
        } else {
            self = .name(text)
        }
    }

    public var description: String {
        switch self {
        case .name(let name): name
        case .endpoint(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    private static func port(_ text: Substring) -> Int? {
        guard let port = Int(text), (1...65535).contains(port) else { return nil }
        return port
    }

    private static func isIPv4Literal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part) != nil }
    }
}
