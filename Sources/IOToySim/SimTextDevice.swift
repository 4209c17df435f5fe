import Foundation
import IOToyHAL

/// A simulated serial device that speaks its own line protocol (a relay board, a GPS, a
/// sensor module): every line it receives goes to a script that answers with lines, and a
/// test can make it send lines unasked, send raw bytes, go silent or be unplugged.
///
/// It receives lines ending at LF, CR or CRLF and sends its own with ``lineEnding``. Answers
/// become readable ``replyDelay`` after the line that asked (in the port's clock, virtual in
/// tests). Reads return at most the provider's `chunkBytes`, so lines arrive in pieces.
public final class SimTextDevice: SimSerialPeer, @unchecked Sendable {
    /// A name for logs and `SimSerialProvider.ports`.
    public let id: String
    private let script: @Sendable (String) -> [String]
    private let condition = NSCondition()
    // Everything below is guarded by `condition`.
    private var received: [String] = []
    private var pendingLine: [UInt8] = []
    private var outbox: [(bytes: [UInt8], at: Duration)] = []
    private var connection: SimTextConnection?
    private var silentNow = false
    private var delay: Duration = .zero
    private var ending = "\r\n"
    private var greetingLines: [String] = []

    /// A device whose `script` answers each received line (without its ending) with lines.
    public init(id: String = "text-device", script: @escaping @Sendable (String) -> [String]) {
        self.id = id
        self.script = script
    }

    /// A device answering from a table: each known line with its lines, anything else nothing.
    public convenience init(id: String = "text-device", answers: [String: [String]]) {
        self.init(id: id) { answers[$0] ?? [] }
    }

    /// The lines received so far, in order.
    public var receivedLines: [String] { locked { received } }

    /// While true the device reads but answers nothing.
    public var isSilent: Bool {
        get { locked { silentNow } }
        set { locked { silentNow = newValue } }
    }

    /// How long the device takes to answer a line.
    public var replyDelay: Duration {
        get { locked { delay } }
        set { locked { delay = newValue } }
    }

    /// What ends the lines the device sends: `"\r\n"` (default), `"\n"` or `"\r"`.
    public var lineEnding: String {
        get { locked { ending } }
        set { locked { ending = newValue } }
    }

    /// Lines sent unasked as soon as a connection opens (a module's banner, a GPS's first fix).
    public var greeting: [String] {
        get { locked { greetingLines } }
        set { locked { greetingLines = newValue } }
    }

    /// Sends `line` unasked on the open connection (dropped when none is open).
    public func emit(_ line: String) {
        locked { queue(Array((line + ending).utf8), at: connection?.clock.now()) }
    }

    /// Sends raw bytes unasked (noise, a partial line).
    public func emit(bytes: [UInt8]) {
        locked { queue(bytes, at: connection?.clock.now()) }
    }

    // MARK: SimSerialPeer

    public func connect(path: String, clock: SimSerialClock, chunkBytes: Int) -> any SerialConnection {
        locked {
            connection?.markClosed()
            outbox.removeAll()
            pendingLine.removeAll()
            let opened = SimTextConnection(path: path, device: self, clock: clock, chunkBytes: chunkBytes)
            connection = opened
            for line in greetingLines { queue(Array((line + ending).utf8), at: clock.now()) }
            return opened
        }
    }

    public func hangUp() {
        locked { connection?.markHungUp() }
    }

    // MARK: The connection's side (called with `condition` held by SimTextConnection)

    var lock: NSCondition { condition }

    /// Takes bytes the host wrote; answers every complete line.
    func take(_ bytes: [UInt8], now: Duration) {
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                pendingLine.append(byte)
                continue
            }
            let line = String(decoding: pendingLine, as: UTF8.self)
            pendingLine.removeAll()
            guard !line.isEmpty else { continue }
            received.append(line)
            guard !silentNow else { continue }
            for answer in script(line) { queue(Array((answer + ending).utf8), at: now + delay) }
        }
    }

    /// The first bytes readable at `now`, at most `limit` of them; nil when none are.
    func readable(at now: Duration, limit: Int) -> [UInt8]? {
        guard let first = outbox.first, first.at <= now else { return nil }
        let count = min(limit, first.bytes.count)
        let chunk = Array(first.bytes[..<count])
        if count == first.bytes.count { outbox.removeFirst() } else { outbox[0].bytes.removeFirst(count) }
        return chunk
    }

    /// When the next bytes become readable, if any are queued.
    var nextReadable: Duration? { outbox.first?.at }

    private func queue(_ bytes: [UInt8], at instant: Duration?) {
        guard let instant, connection != nil else { return }
        // Lines leave in order: one answered late holds back those queued after it.
        outbox.append((bytes, max(instant, outbox.last?.at ?? instant)))
        condition.broadcast()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
