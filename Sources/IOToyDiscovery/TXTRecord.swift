/// The TXT record of a DNS-SD service: `key=value` strings, in order (RFC 6763 §6).
///
/// iotoyd publishes `path=/` (where the resource tree starts) and `version=<iotoyd version>`.
/// The original IOTOY client ignores TXT, so keys may be added freely.
public struct TXTRecord: Sendable, Hashable, CustomStringConvertible {
    /// One `key=value` string.
    public struct Entry: Sendable, Hashable {
        public let key: String
        public let value: String
    }

    /// The longest string a TXT record may hold (its length travels in one byte).
    public static let maximumEntryBytes = 255

    /// The entries in the order they are published.
    public private(set) var entries: [Entry] = []

    /// An empty record.
    public init() {}

    /// A record of `pairs`, in order, each checked by ``adding(_:_:)``.
    public init(_ pairs: KeyValuePairs<String, String>) throws(TXTRecordError) {
        for (key, value) in pairs { self = try adding(key, value) }
    }

    /// What iotoyd advertises: `path=/` and `version=<version>`.
    public static func iotoy(version: String) throws(TXTRecordError) -> TXTRecord {
        try TXTRecord(["path": "/", "version": version])
    }

    /// The record with `key=value` appended. Keys are printable ASCII without `=`, not empty,
    /// unique (ignoring case, as DNS-SD compares them); an entry fits in 255 bytes.
    public func adding(_ key: String, _ value: String) throws(TXTRecordError) -> TXTRecord {
        guard !key.isEmpty, key.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) && $0 != "=" }) else {
            throw TXTRecordError.invalidKey(key)
        }
        guard !entries.contains(where: { $0.key.lowercased() == key.lowercased() }) else {
            throw TXTRecordError.duplicateKey(key)
        }
        let entry = Entry(key: key, value: value)
        guard entry.text.utf8.count <= TXTRecord.maximumEntryBytes else { throw TXTRecordError.entryTooLong(key) }
        var record = self
        record.entries.append(entry)
        return record
    }

    /// Reads the strings of a resolved record. A string without `=` is a key with an empty
    /// value; for repeated keys the first wins, as RFC 6763 §6.4 says.
    public init(strings: [String]) {
        for string in strings {
            let parts = string.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first.map(String.init), !key.isEmpty,
                  !entries.contains(where: { $0.key.lowercased() == key.lowercased() }) else { continue }
            entries.append(Entry(key: key, value: parts.count > 1 ? String(parts[1]) : ""))
        }
    }

    /// The value for `key` (compared ignoring case).
    public subscript(key: String) -> String? {
        entries.first { $0.key.lowercased() == key.lowercased() }?.value
    }

    /// The strings as published: `["path=/", "version=0.1.0"]`.
    public var strings: [String] { entries.map(\.text) }

    /// As `avahi-browse` prints it: `"path=/" "version=0.1.0"`.
    public var description: String { strings.map { "\"\($0)\"" }.joined(separator: " ") }

    /// A dictionary view, for JSON output.
    public var dictionary: [String: String] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

extension TXTRecord.Entry {
    /// `key=value`.
    public var text: String { "\(key)=\(value)" }
}

/// Why a TXT record was refused.
public enum TXTRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidKey(String)
    case duplicateKey(String)
    case entryTooLong(String)

    public var description: String {
        switch self {
        case .invalidKey(let key): "TXT key '\(key)' must be printable ASCII without '=' and not empty"
        case .duplicateKey(let key): "TXT key '\(key)' appears twice"
        case .entryTooLong(let key): "TXT entry '\(key)=…' is longer than \(TXTRecord.maximumEntryBytes) bytes"
        }
    }
}
