/// Cuts the bytes a device sends into lines, however they are chunked by the port: a line
/// ends at LF, and a CR before it is dropped (real boards send CRLF, host-built mocks LF).
/// Anything but printable ASCII before a line's text (the NUL or noise many boards emit on
/// reset, stray spaces) is dropped.
///
/// A line longer than ``maximumLineBytes`` is garbage (noise at the wrong baud, a runaway
/// device): it is discarded up to its LF rather than growing without end or being cut into
/// pieces that might pass for replies; ``discardedLines`` counts them.
public struct SerialLineSplitter: Sendable {
    /// Longer lines are discarded.
    public let maximumLineBytes: Int
    /// How many over-long lines were discarded.
    public private(set) var discardedLines = 0
    private var pending: [UInt8] = []
    private var discarding = false

    public init(maximumLineBytes: Int = 4096) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// True when bytes of an unfinished line are waiting for the rest.
    public var hasPartialLine: Bool { !pending.isEmpty || discarding }

    /// Takes a chunk and returns the lines it completes, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discarding {
                    discarding = false
                } else {
                    lines.append(finishLine())
                }
            } else if discarding {
                continue
            } else if pending.isEmpty, !(0x21...0x7e).contains(byte) {
                continue   // leading noise, spaces and control bytes
            } else {
                pending.append(byte)
                if pending.count > maximumLineBytes {
                    pending.removeAll(keepingCapacity: true)
                    discarding = true
                    discardedLines += 1
                }
            }
        }
        return lines
    }

    /// Forgets an unfinished line (after a reconnect).
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        discarding = false
    }

    private mutating func finishLine() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        return line
    }
}
