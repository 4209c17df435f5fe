import IOToyHAL
import IOToyWire

/// Lines to and from a text-protocol device on one open port. Received lines end at LF, CRLF
/// or a lone CR (old modules end lines with CR only); empty lines, leading noise and lines
/// longer than 4096 bytes are dropped by ``SerialLineSplitter``. Sent lines end with the
/// board's `newline`.
///
/// Confined to the port's owner thread (hence `@unchecked Sendable`: it is handed there,
/// never used from two threads at once). Time comes from `now`, a monotonic reading.
final class SerialTextLink: @unchecked Sendable {
    let connection: any SerialConnection
    private let newline: [UInt8]
    private let now: @Sendable () -> Duration
    private var splitter = SerialLineSplitter()
    private var lines: [String] = []

    init(connection: any SerialConnection, newline: String, now: @escaping @Sendable () -> Duration) {
        self.connection = connection
        self.newline = Array(newline.utf8)
        self.now = now
    }

    var device: String { connection.path }

    /// Sends `line` and the newline.
    func send(_ line: String) throws(HardwareError) {
        try connection.write(Array(line.utf8) + newline)
    }

    /// The next line, waiting until `deadline` (monotonic) at most; nil when none came.
    func nextLine(before deadline: Duration) throws(HardwareError) -> String? {
        while lines.isEmpty {
            let remaining = deadline - now()
            guard remaining > .zero else { return nil }
            try receive(timeout: remaining)
        }
        return lines.removeFirst()
    }

    /// The lines buffered, or those one read brings within `deadline`; nil when that read
    /// came back empty (the deadline passed, or ``SerialConnection/interruptRead()`` ended
    /// it: the idle watch then gives the owner back at once).
    func lines(before deadline: Duration) throws(HardwareError) -> [String]? {
        if lines.isEmpty {
            let remaining = deadline - now()
            guard remaining > .zero, try receive(timeout: remaining) else { return nil }
        }
        defer { lines.removeAll() }
        return lines
    }

    /// Every complete line that has arrived, without waiting.
    func arrivedLines() throws(HardwareError) -> [String] {
        while try receive(timeout: .zero) {}
        defer { lines.removeAll() }
        return lines
    }

    /// Reads once; false when nothing arrived in time.
    @discardableResult
    private func receive(timeout: Duration) throws(HardwareError) -> Bool {
        let bytes = try connection.read(timeout: timeout)
        guard !bytes.isEmpty else { return false }
        // A CR ends a line as an LF does; the empty line a CRLF leaves is dropped below.
        let unified = bytes.map { $0 == UInt8(ascii: "\r") ? UInt8(ascii: "\n") : $0 }
        lines += splitter.feed(unified).filter { !$0.isEmpty }
        return true
    }
}
