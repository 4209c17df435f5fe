/// One address a resolved service answers on.
public struct ServiceAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address family.
    public enum Family: String, Sendable, Hashable, Comparable {
        case ipv4, ipv6

        public static func < (lhs: Family, rhs: Family) -> Bool { lhs == .ipv4 && rhs == .ipv6 }
    }

    public let family: Family
    /// The numeric address, without a zone: `192.0.2.1`, `fe80::1`.
    public let address: String
    /// The network interface it was found on (`eth0`), when known.
    public let interface: String?

    public init(family: Family, address: String, interface: String?) {
        self.family = family
        self.address = address
        self.interface = interface
    }

    /// True for IPv6 link-local addresses (`fe80::/10`), which need their interface to be reached.
    public var isLinkLocal: Bool {
        guard family == .ipv6 else { return false }
        let lowered = address.lowercased()
        return ["fe8", "fe9", "fea", "feb"].contains { lowered.hasPrefix($0) }
    }

    /// `192.0.2.1`, `2001:db8::1`, or `fe80::1%eth0` for a link-local address.
    public var description: String {
        if isLinkLocal, let interface { return "\(address)%\(interface)" }
        return address
    }

    /// The host part of a URL: `192.0.2.1`, `[2001:db8::1]`, `[fe80::1%25eth0]` (RFC 6874).
    public var urlHost: String {
        switch family {
        case .ipv4: address
        case .ipv6:
            if isLinkLocal, let interface { "[\(address)%25\(interface)]" } else { "[\(address)]" }
        }
    }

    /// IPv4 first (the original client used the first IPv4 address), then routable IPv6, then
    /// link-local IPv6.
    public static func < (lhs: ServiceAddress, rhs: ServiceAddress) -> Bool {
        (lhs.family, lhs.isLinkLocal ? 1 : 0, lhs.address, lhs.interface ?? "")
            < (rhs.family, rhs.isLinkLocal ? 1 : 0, rhs.address, rhs.interface ?? "")
    }
}
