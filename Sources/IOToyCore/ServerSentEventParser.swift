/// One Server-Sent Event as received: its `id:`, `event:` name and `data:` text.
/// (In IOToyCore, beside the representations, because it is the stream's wire format and has
/// no I/O: the client reads with it, and the fuzzer and tests reach it without the HTTP client.)
public struct ServerSentEvent: Sendable, Hashable {
    public var id: String?
    public var event: String
    public var data: String

    public init(id: String?, event: String, data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}

/// Turns the bytes of a `text/event-stream` into events, however the bytes arrive (whole,
/// or split anywhere, even inside a line ending or a UTF-8 sequence), as the HTML standard's
/// event-stream interpretation says: lines end in CRLF, LF or CR; a blank line dispatches;
/// `:` starts a comment; `data:` lines join with line feeds; one space after the colon is
/// dropped; `retry:` sets the reconnection delay; an event without data is not dispatched.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var id: String?
    private var event = ""
    private var data: [String] = []
    /// The last `id:` seen (sent back as `Last-Event-ID` on reconnection).
    public private(set) var lastEventID: String?
    /// The last `retry:` in milliseconds.
    public private(set) var retryMilliseconds: Int?

    public init() {}

    /// Feeds bytes and returns the events they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == 0x0A, lastByteWasCR {               // the LF of a CRLF
                lastByteWasCR = false
                continue
            }
            lastByteWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = processLine() { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        return events
    }

    private mutating func processLine() -> ServerSentEvent? {
        if line.isEmpty {
            defer { data = []; event = "" }
            guard !data.isEmpty else { return nil }
            return ServerSentEvent(id: lastEventID, event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: String, value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var rest = line[(colon + 1)...]
            if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
            value = String(decoding: rest, as: UTF8.self)
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "event": event = value
        case "data": data.append(value)
        case "id": if !value.contains("\0") { lastEventID = value }
        case "retry": if let milliseconds = Int(value), milliseconds >= 0 { retryMilliseconds = milliseconds }
        default: break
        }
        return nil
    }
}
