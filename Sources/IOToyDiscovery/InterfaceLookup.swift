#if canImport(Glibc)
import Glibc
#endif

/// Which network interface holds an address, so a device bound to one address is advertised
/// on that interface only (and in that address family), not on every network the host is on.
public enum InterfaceLookup {
    /// The index and family of the interface that has `address` (`192.0.2.1`, `2001:db8::7`);
    /// nil for the wildcard addresses, an address no interface has, or text that is no address.
    public static func interface(holding address: String) -> (index: Int32, isIPv6: Bool)? {
        guard address != "0.0.0.0", address != "::" else { return nil }
        var wanted4 = in_addr(), wanted6 = in6_addr()
        let isIPv4 = inet_pton(AF_INET, address, &wanted4) == 1
        let isIPv6 = !isIPv4 && inet_pton(AF_INET6, address, &wanted6) == 1
        guard isIPv4 || isIPv6 else { return nil }
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let socketAddress = entry.pointee.ifa_addr, let name = entry.pointee.ifa_name else { continue }
            let family = Int32(socketAddress.pointee.sa_family)
            let matches: Bool
            if isIPv4, family == AF_INET {
                matches = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr == wanted4.s_addr }
            } else if isIPv6, family == AF_INET6 {
                matches = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { candidate in
                    withUnsafeBytes(of: candidate.pointee.sin6_addr) { have in withUnsafeBytes(of: wanted6) { have.elementsEqual($0) } }
                }
            } else {
                matches = false
            }
            if matches {
                let index = if_nametoindex(name)
                return index == 0 ? nil : (Int32(index), isIPv6)
            }
        }
        return nil
    }
}
