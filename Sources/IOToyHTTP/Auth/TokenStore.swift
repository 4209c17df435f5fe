import IOToyCore
import Crypto
import Foundation

/// Why the tokens file could not be read, changed or written.
public enum TokenStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no file at the path.
    case missingFile(path: String)
    /// The file exists but could not be read as UTF-8 text.
    case unreadable(path: String, reason: String)
    /// A line is not `NAME ROLE SHA256HEX`; `line` counts from 1.
    case badLine(path: String, line: Int, reason: String)
    /// A token name outside `[A-Za-z0-9_.-]{1,64}`.
    case invalidName(String)
    /// `add` with a name that already has a token.
    case duplicateName(String)
    /// `remove` with a name that has no token.
    case noSuchName(String)
    /// The new file could not be written or put in place.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path): "\(path): no such tokens file (create one with `iotoyd token add NAME`)"
        case .unreadable(let path, let reason): "\(path): cannot read the tokens file: \(reason)"
        case .badLine(let path, let line, let reason): "\(path), line \(line): \(reason)"
        case .invalidName(let name):
            "'\(name)' is not a token name: 1 to \(TokenStore.maximumNameLength) letters, digits, '_', '.' or '-'"
        case .duplicateName(let name): "there is already a token named '\(name)' (remove it first)"
        case .noSuchName(let name): "there is no token named '\(name)'"
        case .writeFailed(let path, let reason): "\(path): cannot write the tokens file: \(reason)"
        }
    }
}

/// The API tokens the daemon accepts, as kept in the tokens file (`server.auth.tokens_file`).
///
/// One line per token, `NAME ROLE SHA256HEX`: the token's name, its ``Role`` and the SHA-256
/// of the token as 64 lowercase hex digits. Blank lines and lines starting with `#` are
/// ignored. Only digests are stored: a token is shown once, when ``add(name:role:)`` makes it.
/// Tokens are 32 random bytes in URL-safe base64 without padding (43 characters).
public struct TokenStore: Sendable {
    /// One token: its name, role and the SHA-256 digest of the token (32 bytes).
    private struct Entry: Sendable {
        let name: String
        let role: Role
        let digest: [UInt8]
    }

    /// The longest token name.
    public static let maximumNameLength = 64

    private var tokens: [Entry]

    /// An empty store: no token is accepted.
    public init() {
        tokens = []
    }

    /// The tokens' names and roles, in file order.
    public var entries: [(name: String, role: Role)] {
        tokens.map { (name: $0.name, role: $0.role) }
    }

    /// True when the store holds no token.
    public var isEmpty: Bool { tokens.isEmpty }

    /// Reads the tokens file at `path`. A missing file is ``TokenStoreError/missingFile(path:)``.
    public static func load(path: String) throws(TokenStoreError) -> TokenStore {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        return try TokenStore(parsing: text, path: path)
    }

    /// Parses the text of a tokens file; `path` only names the file in errors.
    public init(parsing text: String, path: String = "tokens file") throws(TokenStoreError) {
        tokens = []
        var lineNumber = 0
        // `isNewline` also splits "\r\n", a single Character in Swift.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 3 else {
                throw .badLine(path: path, line: lineNumber, reason: "expected NAME ROLE SHA256HEX, found \(fields.count) field(s)")
            }
            let name = String(fields[0]), roleText = String(fields[1])
            guard Self.isValidName(name) else {
                throw .badLine(path: path, line: lineNumber, reason: TokenStoreError.invalidName(name).description)
            }
            guard let role = Role(rawValue: roleText) else {
                throw .badLine(path: path, line: lineNumber, reason: "unknown role '\(roleText)' (read, control or admin)")
            }
            guard let digest = Self.bytes(fromHex: fields[2]), digest.count == SHA256.byteCount else {
                throw .badLine(path: path, line: lineNumber, reason: "the digest is not 64 hex digits (a SHA-256)")
            }
            guard !tokens.contains(where: { $0.name == name }) else {
                throw .badLine(path: path, line: lineNumber, reason: "the name '\(name)' appears twice")
            }
            tokens.append(Entry(name: name, role: role, digest: digest))
        }
    }

    /// The name and role of the token `token`, or nil when no entry has it.
    ///
    /// The token's SHA-256 is compared with every entry's over all 32 bytes, XOR-accumulated
    /// so a comparison takes as long whether the first or the last byte differs, and every
    /// entry is compared even after a match: the time taken says nothing about the tokens.
    public func role(forToken token: String) -> (name: String, role: Role)? {
        let presented = Self.digest(token)
        var found: (name: String, role: Role)?
        for entry in tokens {
            var difference: UInt8 = entry.digest.count == presented.count ? 0 : 1
            for (stored, given) in zip(entry.digest, presented) { difference |= stored ^ given }
            if difference == 0, found == nil { found = (name: entry.name, role: entry.role) }
        }
        return found
    }

    /// The SHA-256 of a token as 64 lowercase hex digits: what the tokens file stores.
    public static func hash(_ token: String) -> String {
        hex(digest(token))
    }

    /// A new token: 32 random bytes from the system's generator, as URL-safe base64 without
    /// padding (43 characters of `A-Z a-z 0-9 - _`), never starting with `-`, so that it can
    /// follow `--token` on a command line (one token in 64 would otherwise be read as an option).
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
            for _ in 0..<4 {
                let word = generator.next()
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
            }
            let token = base64URL(bytes)
            if token.first != "-" { return token }
        }
    }

    /// True for a valid token name: 1 to 64 of `A-Z a-z 0-9 _ . -`.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maximumNameLength else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// Makes a token named `name` with `role` and returns it: the only time it can be seen.
    public mutating func add(name: String, role: Role) throws(TokenStoreError) -> String {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        guard !tokens.contains(where: { $0.name == name }) else { throw .duplicateName(name) }
        let token = Self.generateToken()
        tokens.append(Entry(name: name, role: role, digest: Self.digest(token)))
        return token
    }

    /// Removes the token named `name`.
    public mutating func remove(name: String) throws(TokenStoreError) {
        guard let index = tokens.firstIndex(where: { $0.name == name }) else { throw .noSuchName(name) }
        tokens.remove(at: index)
    }

    /// The text of the tokens file.
    public func rendered() -> String {
        var text = "# iotoyd API tokens: NAME ROLE SHA256HEX, one per line. Managed by `iotoyd token`;\n"
        text += "# only the SHA-256 of each token is kept here.\n"
        for entry in tokens { text += "\(entry.name) \(entry.role.rawValue) \(Self.hex(entry.digest))\n" }
        return text
    }

    /// Writes the tokens file atomically with mode 0600: a temporary file in the same
    /// directory, made 0600 before the text goes in, then renamed over `path`. The directory
    /// is created when missing. An existing file's owner and group are kept when the process
    /// may set them (as root).
    public func write(to path: String) throws(TokenStoreError) {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(Self.generateToken().prefix(12)).tmp")
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            var attributes: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
            if let existing = try? manager.attributesOfItem(atPath: path) {
                attributes[.ownerAccountID] = existing[.ownerAccountID]
                attributes[.groupOwnerAccountID] = existing[.groupOwnerAccountID]
            }
            guard manager.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw TokenStoreError.writeFailed(path: path, reason: "cannot create \(temporary.path)")
            }
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            // Best effort: only root may give the file to another owner.
            try? manager.setAttributes(attributes, ofItemAtPath: temporary.path)
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: Data(rendered().utf8))
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            // rename(2) replaces the old file in one step (FileManager's move refuses an
            // existing destination); Foundation re-exports the C library.
            if rename(temporary.path, path) != 0 {
                let reason = String(cString: strerror(errno))
                throw TokenStoreError.writeFailed(path: path, reason: "cannot rename \(temporary.path) over it: \(reason)")
            }
        } catch let error as TokenStoreError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw .writeFailed(path: path, reason: "\(error)")
        }
    }

    // MARK: Bytes

    private static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Bytes from an even number of hex digits (either case); nil for anything else.
    static func bytes(fromHex text: Substring) -> [UInt8]? {
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// URL-safe base64 (RFC 4648 §5) without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var bits: UInt32 = 0
            for byte in chunk { bits = bits << 8 | UInt32(byte) }
            bits <<= UInt32(8 * (3 - chunk.count))
            for position in 0...chunk.count { text.append(alphabet[Int((bits >> UInt32(18 - 6 * position)) & 0x3F)]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }
}
