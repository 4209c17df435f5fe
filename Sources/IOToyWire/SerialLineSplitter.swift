/// Cuts the bytes a device sends into lines, however they are chunked by the port: a line
/// ends at LF, and a CR before it is dropped (real boards send CRLF, host-built mocks LF).
///
/// A line longer than ``maximumLineBytes`` is garbage (noise at the wrong baud, a runaway
/// device): it is cut there and reported as one oversized line instead of growing without end.
public struct SerialLineSplitter: Sendable {
    /// Longer lines are cut at this length.
    public let maximumLineBytes: Int
    private var pending: [UInt8] = []

    public init(maximumLineBytes: Int = 1024) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// True when bytes of an unfinished line are waiting for the rest.
    public var hasPartialLine: Bool { !pending.isEmpty }

    /// Takes a chunk and returns the lines it completes, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(finishLine())
            } else {
                pending.append(byte)
                if pending.count >= maximumLineBytes { lines.append(finishLine()) }
            }
        }
        return lines
    }

    /// Forgets an unfinished line (after a reconnect).
    public mutating func reset() { pending.removeAll(keepingCapacity: true) }

    private mutating func finishLine() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        return line
    }
}
