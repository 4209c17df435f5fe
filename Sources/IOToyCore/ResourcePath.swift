/// A validated path in the resource tree, such as `/front_left_leg/lift`.
///
/// Segments are names `[A-Za-z][A-Za-z0-9_]*` (DNS-safe, like IOTOY device ids), at most 64
/// characters. The root has no segments. This is the only path type used from the board file
/// to the HTTP router; paths are never built by string concatenation.
public struct ResourcePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The names from the root down.
    public let segments: [String]

    /// The root directory `/`.
    public static let root = ResourcePath(unchecked: [])

    /// The longest accepted segment.
    public static let maximumSegmentLength = 64

    /// Builds a path from segments, validating each.
    public init(_ segments: [String]) throws(ResourcePathError) {
        for segment in segments where !ResourcePath.isValidSegment(segment) {
            throw ResourcePathError.invalidSegment(segment)
        }
        self.segments = segments
    }

    init(unchecked segments: [String]) {
        self.segments = segments
    }

    /// Parses `/a/b`, `/a/b/` or `a/b`. Empty segments (`//`) are rejected.
    public init(parsing text: Substring) throws(ResourcePathError) {
        // On the UTF-8 bytes: splitting Characters runs grapheme breaking over every byte of
        // the path, a few per cent of a cached GET. A `/` byte is always a whole scalar.
        let slash = UInt8(ascii: "/")
        var body = text.utf8[...]
        if body.first == slash { body = body.dropFirst() }
        if body.last == slash { body = body.dropLast() }
        if body.isEmpty {
            self = .root
            return
        }
        try self.init(body.split(separator: slash, omittingEmptySubsequences: false).map { String(Substring($0)) })
    }

    /// Parses a path from a string; see ``init(parsing:)-(Substring)``.
    public init(parsing text: String) throws(ResourcePathError) {
        try self.init(parsing: text[...])
    }

    /// True when `name` is a valid segment.
    public static func isValidSegment(_ name: String) -> Bool {
        // Byte by byte: every byte of a non-ASCII character is above 0x7F, so none passes.
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumSegmentLength, isASCIILetter(first) else { return false }
        return bytes.allSatisfy { isASCIILetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The path with `name` appended.
    public func appending(_ name: String) throws(ResourcePathError) -> ResourcePath {
        guard ResourcePath.isValidSegment(name) else { throw ResourcePathError.invalidSegment(name) }
        return ResourcePath(unchecked: segments + [name])
    }

    /// The path with another path's segments appended.
    public func appending(_ other: ResourcePath) -> ResourcePath {
        ResourcePath(unchecked: segments + other.segments)
    }

    /// The last segment, or nil for the root.
    public var name: String? { segments.last }

    /// The enclosing directory, or nil for the root.
    public var parent: ResourcePath? {
        segments.isEmpty ? nil : ResourcePath(unchecked: Array(segments.dropLast()))
    }

    /// True for `/`.
    public var isRoot: Bool { segments.isEmpty }

    /// The href of a value or function: `/a/b` (the root is `/`).
    public var description: String { "/" + segments.joined(separator: "/") }

    /// The href of a directory: `/a/b/` (the root is `/`).
    public var directoryHref: String { segments.isEmpty ? "/" : description + "/" }

    /// The path relative to the root without the leading slash: `a/b`.
    public var relativeName: String { segments.joined(separator: "/") }

    /// True when `self` is `other` or lies below it.
    public func hasPrefix(_ other: ResourcePath) -> Bool {
        segments.starts(with: other.segments)
    }

    public static func < (lhs: ResourcePath, rhs: ResourcePath) -> Bool {
        lhs.segments.lexicographicallyPrecedes(rhs.segments)
    }
}

/// Why a path was rejected.
public enum ResourcePathError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSegment(String)

    public var description: String {
        switch self {
        case .invalidSegment(let segment):
            "'\(segment)' is not a valid resource name (a letter, then letters, digits or '_', at most \(ResourcePath.maximumSegmentLength))"
        }
    }
}
