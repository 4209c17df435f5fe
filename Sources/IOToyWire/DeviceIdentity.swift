/// A device's IOTOY id: `plainid` or `plainid:specifier`, each `[a-zA-Z][a-zA-Z0-9_]*`.
/// The plain id names a class of device, the specifier one device of it.
public struct DeviceIdentity: Sendable, Hashable, CustomStringConvertible {
    public let plainID: String
    public let specifier: String?

    /// Parses an id; nil when a part is not DNS-safe.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy(DeviceIdentity.isValidPart) else { return nil }
        plainID = parts[0]
        specifier = parts.count == 2 ? parts[1] : nil
    }

    /// The name to serve and advertise the device under: the plain id, joined to the specifier
    /// by `_` when there is one (`robot:kitchen` → `robot_kitchen`), so it stays one DNS-safe label.
    public var deviceName: String { specifier.map { "\(plainID)_\($0)" } ?? plainID }

    public var description: String { specifier.map { "\(plainID):\($0)" } ?? plainID }

    static func isValidPart(_ part: String) -> Bool {
        guard let first = part.unicodeScalars.first, first.isASCIILetter, part.utf8.count <= 63 else { return false }
        return part.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
