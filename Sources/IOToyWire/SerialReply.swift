/// One reply line from a device: `<code>:<status text>:<data>`.
///
/// The code is the integer before the first `:`, the status runs to the second `:`, and the
/// data is everything after it (it may contain `:`). Data `-` means "nothing".
public struct SerialReply: Sendable, Hashable, CustomStringConvertible {
    /// 200 ok, 400 malformed, 404 unknown, 500 bad value (others are passed through).
    public let code: Int
    public let status: String
    /// The raw data, `-` included.
    public let data: String

    public init(code: Int, status: String, data: String) {
        self.code = code
        self.status = status
        self.data = data
    }

    /// Parses a line; nil when it is not a reply (noise, debug prints).
    public init?(line: String) {
        guard let firstColon = line.firstIndex(of: ":") else { return nil }
        let codeText = line[..<firstColon]
        guard codeText.count == 3, let code = Int(codeText), (100...599).contains(code) else { return nil }
        let rest = line[line.index(after: firstColon)...]
        guard let secondColon = rest.firstIndex(of: ":") else { return nil }
        self.init(code: code, status: String(rest[..<secondColon]), data: String(rest[rest.index(after: secondColon)...]))
    }

    /// True for a 2xx code.
    public var isSuccess: Bool { (200..<300).contains(code) }

    /// The data, or nil when it is `-` or empty.
    public var payload: String? { data == "-" || data.isEmpty ? nil : data }

    /// The device id when this is the ready line `200:DEV READY:<id>` (also `devinfo`'s answer).
    public var readyIdentity: DeviceIdentity? {
        guard code == 200, status == "DEV READY" else { return nil }
        return DeviceIdentity(data)
    }

    public var description: String { "\(code):\(status):\(data)" }
}
