/// Why a network (`192.168.1.0/24`, `fe80::/10`) did not parse.
public enum IPNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The part before the `/` is not an IPv4 or IPv6 address.
    case badAddress(String)
    /// The part after the `/` is not a decimal number.
    case badPrefix(String)
    /// The prefix length is larger than the address allows: 32 for IPv4, 128 for IPv6.
    case prefixOutOfRange(Int, maximum: Int)

    public var description: String {
        switch self {
        case .badAddress(let text):
            "'\(text)' is not an IPv4 address (192.168.1.0) or an IPv6 address (fe80::1)"
        case .badPrefix(let text):
            "'\(text)' is not a prefix length (the number after '/', as in 192.168.1.0/24)"
        case .prefixOutOfRange(let length, let maximum):
            "prefix length /\(length) is out of range for an \(maximum == 32 ? "IPv4" : "IPv6") network (0 to \(maximum))"
        }
    }
}

/// A block of IPv4 or IPv6 addresses written in CIDR notation: `127.0.0.0/8`, `::1/128`,
/// `192.168.1.0/24`, `fe80::/10`; a bare address is a network of one (`/32` or `/128`).
///
/// Addresses are held as 128 bits, IPv4 ones in their IPv4-mapped IPv6 form
/// (`::ffff:a.b.c.d`), so an IPv4 network also matches the mapped addresses a dual-stack
/// socket reports for IPv4 clients, and never a genuine IPv6 address such as `::1`. Host bits
/// after the prefix are cleared: `192.168.1.7/24` is `192.168.1.0/24`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first 64 of the network address's 128 bits (host bits cleared).
    private let high: UInt64
    /// The last 64 bits; an IPv4 network holds `0000:ffff:` and its 32 bits here.
    private let low: UInt64
    /// The prefix length as written: 0...32 for an IPv4 network, 0...128 for IPv6.
    public let prefixLength: Int
    /// True when the network was written as IPv4.
    public let isIPv4: Bool

    /// The loopback networks, `127.0.0.0/8` and `::1/128`: who is trusted when the board
    /// file does not say.
    public static let loopback: [IPNetwork] = [
        IPNetwork(high: 0, low: 0xFFFF_7F00_0000, prefixLength: 8, isIPv4: true),
        IPNetwork(high: 0, low: 1, prefixLength: 128, isIPv4: false),
    ]

    private init(high: UInt64, low: UInt64, prefixLength: Int, isIPv4: Bool) {
        let mask = Self.mask(bits: isIPv4 ? prefixLength + 96 : prefixLength)
        self.high = high & mask.high
        self.low = low & mask.low
        self.prefixLength = prefixLength
        self.isIPv4 = isIPv4
    }

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`. IPv6 addresses may use `::` and end in a dotted
    /// IPv4 part (`::ffff:10.0.0.0/104`); zones (`%eth0`) are refused here.
    public init(parsing text: String) throws(IPNetworkError) {
        let trimmed = Self.trimmingSpaces(text[...])
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = parts.first ?? trimmed
        guard let address = Address(parsing: addressText, allowZone: false) else {
            throw .badAddress(String(addressText))
        }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            let prefixText = parts[parts.index(after: parts.startIndex)]
            let digits = prefixText.utf8
            guard !digits.isEmpty, digits.count <= 9,
                digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let value = Int(prefixText)
            else { throw .badPrefix(String(prefixText)) }
            guard value <= maximum else { throw .prefixOutOfRange(value, maximum: maximum) }
            length = value
        }
        self.init(high: address.high, low: address.low, prefixLength: length, isIPv4: address.isIPv4)
    }

    /// True when `address` lies in the network. `address` is as a server sees a peer:
    /// `192.0.2.7`, `2001:db8::1`, `fe80::1%eth0` (the zone is ignored), `::ffff:127.0.0.1`
    /// (an IPv4 client on a dual-stack socket, matched as IPv4), optionally in brackets.
    /// Text that is not an address is in no network.
    public func contains(_ address: String) -> Bool {
        guard let parsed = Address(parsing: Self.trimmingSpaces(address[...]), allowZone: true) else { return false }
        return contains(parsed)
    }

    /// True when the parsed `address` lies in the network.
    func contains(_ address: Address) -> Bool {
        let mask = Self.mask(bits: isIPv4 ? prefixLength + 96 : prefixLength)
        return (address.high & mask.high) == high && (address.low & mask.low) == low
    }

    public var description: String {
        if isIPv4 { return "\(Self.dotted(UInt32(truncatingIfNeeded: low)))/\(prefixLength)" }
        return "\(Self.ipv6Text(high: high, low: low))/\(prefixLength)"
    }

    /// The masks keeping the first `bits` of 128.
    private static func mask(bits: Int) -> (high: UInt64, low: UInt64) {
        let high: UInt64 = bits >= 64 ? UInt64.max : (bits <= 0 ? 0 : UInt64.max << (64 - bits))
        let low: UInt64 = bits >= 128 ? UInt64.max : (bits <= 64 ? 0 : UInt64.max << (128 - bits))
        return (high, low)
    }

    private static func trimmingSpaces(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var result = text.drop(while: isSpace)
        while let last = result.last, isSpace(last) { result = result.dropLast() }
        return result
    }

    static func dotted(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    /// RFC 5952 text: lowercase, the longest run of two or more zero groups as `::`, mapped
    /// IPv4 addresses with a dotted tail.
    static func ipv6Text(high: UInt64, low: UInt64) -> String {
        if high == 0, low >> 32 == 0xFFFF { return "::ffff:" + dotted(UInt32(truncatingIfNeeded: low)) }
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> ((3 - index % 4) * 16))
        }
        var best: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index >= 2, end - index > (best?.count ?? 0) { best = index..<end }
            index = end
        }
        let hex: (UInt16) -> String = { String($0, radix: 16) }
        guard let best else { return groups.map(hex).joined(separator: ":") }
        let left = groups[..<best.lowerBound].map(hex).joined(separator: ":")
        let right = groups[best.upperBound...].map(hex).joined(separator: ":")
        return left + "::" + right
    }
}

extension IPNetwork {
    /// One address as 128 bits, IPv4 addresses in their mapped form `::ffff:a.b.c.d`.
    struct Address: Sendable, Hashable {
        let high: UInt64
        let low: UInt64
        /// True when written as a dotted quad.
        let isIPv4: Bool

        init(high: UInt64, low: UInt64, isIPv4: Bool) {
            self.high = high
            self.low = low
            self.isIPv4 = isIPv4
        }

        /// Parses a dotted quad or an IPv6 address, optionally in brackets and, when
        /// `allowZone`, with a zone (`fe80::1%eth0`, the zone dropped). Nil for anything else.
        init?(parsing text: Substring, allowZone: Bool) {
            var body = text
            if body.first == "[", body.last == "]" { body = body.dropFirst().dropLast() }
            if let percent = body.firstIndex(of: "%") {
                let zone = body[body.index(after: percent)...]
                guard allowZone, !zone.isEmpty, body[..<percent].utf8.contains(UInt8(ascii: ":")) else { return nil }
                body = body[..<percent]
            }
            if body.utf8.contains(UInt8(ascii: ":")) {
                guard let bits = Self.parseIPv6(Array(body.utf8)) else { return nil }
                self.init(high: bits.high, low: bits.low, isIPv4: false)
            } else {
                guard let value = Self.parseIPv4(body.utf8) else { return nil }
                self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(value), isIPv4: true)
            }
        }

        /// `a.b.c.d`, each part 0...255 in decimal without leading zeros (which some parsers
        /// read as octal).
        static func parseIPv4<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32? {
            let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var result: UInt32 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3 else { return nil }
                if part.count > 1, part.first == UInt8(ascii: "0") { return nil }
                var octet: UInt32 = 0
                for byte in part {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                }
                guard octet <= 255 else { return nil }
                result = result << 8 | octet
            }
            return result
        }

        /// Eight groups of one to four hex digits separated by `:`, at most one `::` standing
        /// for one or more zero groups, and optionally a dotted IPv4 tail for the last two.
        static func parseIPv6(_ bytes: [UInt8]) -> (high: UInt64, low: UInt64)? {
            let colon = UInt8(ascii: ":")
            // The longest form: six full groups and a dotted quad.
            guard bytes.count >= 2, bytes.count <= 45 else { return nil }
            var groups: [UInt16] = []
            var gap: Int?
            var index = 0
            if bytes[0] == colon {
                guard bytes[1] == colon else { return nil }
                gap = 0
                index = 2
            }
            while index < bytes.count {
                var end = index
                while end < bytes.count, bytes[end] != colon { end += 1 }
                let field = bytes[index..<end]
                if field.contains(UInt8(ascii: ".")) {
                    guard end == bytes.count, groups.count <= 6, let value = parseIPv4(field) else { return nil }
                    groups.append(UInt16(truncatingIfNeeded: value >> 16))
                    groups.append(UInt16(truncatingIfNeeded: value))
                    break
                }
                guard let group = parseHexGroup(field), groups.count < 8 else { return nil }
                groups.append(group)
                if end == bytes.count { break }
                if end + 1 < bytes.count, bytes[end + 1] == colon {
                    guard gap == nil else { return nil }
                    gap = groups.count
                    index = end + 2
                } else {
                    // A single `:` must be followed by another group.
                    guard end + 1 < bytes.count else { return nil }
                    index = end + 1
                }
            }
            if let gap {
                guard groups.count <= 7 else { return nil }
                groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gap)
            }
            guard groups.count == 8 else { return nil }
            let high = groups.prefix(4).reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
            let low = groups.dropFirst(4).reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
            return (high, low)
        }

        /// One to four hex digits.
        static func parseHexGroup(_ bytes: ArraySlice<UInt8>) -> UInt16? {
            guard !bytes.isEmpty, bytes.count <= 4 else { return nil }
            var value: UInt16 = 0
            for byte in bytes {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
            }
            return value
        }
    }
}
