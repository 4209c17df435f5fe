import CAvahi
#if canImport(Glibc)
import Glibc
#endif

extension TXTRecord {
    /// Runs `body` with the record as an `AvahiStringList` in publishing order (nil when empty),
    /// freed afterwards.
    func withAvahiStringList<T>(_ body: (UnsafeMutablePointer<AvahiStringList>?) throws -> T) rethrows -> T {
        var list: UnsafeMutablePointer<AvahiStringList>?
        // avahi_string_list_add_* prepends: add the last entry first.
        for entry in entries.reversed() {
            let bytes = Array(entry.text.utf8)
            list = bytes.withUnsafeBufferPointer { avahi_string_list_add_arbitrary(list, $0.baseAddress, $0.count) }
        }
        defer { avahi_string_list_free(list) }
        return try body(list)
    }

    /// Reads a record Avahi resolved.
    init(avahi list: UnsafeMutablePointer<AvahiStringList>?) {
        var strings: [String] = []
        var node = list
        while let current = node {
            if let text = avahi_string_list_get_text(current) {
                let bytes = UnsafeBufferPointer(start: text, count: avahi_string_list_get_size(current))
                strings.append(String(decoding: bytes, as: UTF8.self))
            }
            node = avahi_string_list_get_next(current)
        }
        self.init(strings: strings)
    }
}

extension ServiceAddress {
    /// An address Avahi resolved on interface `index`.
    init?(avahi address: UnsafePointer<AvahiAddress>, interface index: AvahiIfIndex) {
        var buffer = [CChar](repeating: 0, count: Int(AVAHI_ADDRESS_STR_MAX) + 1)
        guard avahi_address_snprint(&buffer, buffer.count, address) != nil else { return nil }
        let family: Family
        switch Int(address.pointee.proto) {
        case AVAHI_PROTO_INET: family = .ipv4
        case AVAHI_PROTO_INET6: family = .ipv6
        default: return nil
        }
        self.init(
            family: family, address: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            interface: ServiceAddress.interfaceName(index))
    }

    /// The name of interface `index` (`if_indextoname`), nil when unknown.
    static func interfaceName(_ index: AvahiIfIndex) -> String? {
        guard index >= 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(UInt32(index), &buffer) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
