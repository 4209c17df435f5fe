import IOToyCore

/// One Server-Sent Events frame, encoded once and shared by every watcher that gets it:
/// `id: 42\nevent: value\ndata: {…}\n\n`.
public struct StreamFrame: Sendable {
    /// The change feed's sequence number (0 for frames without an id: `reset`, `dropped`).
    public let sequence: UInt64
    /// The resource the event is about.
    public let path: ResourcePath
    /// A value event: a later one for the same resource may replace it (`?rate_ms`).
    public let coalescible: Bool
    /// The whole frame, ready to write.
    public let bytes: [UInt8]

    /// The stream's name for a change-feed kind; nil for kinds the stream does not carry.
    public static func eventName(_ kind: ChangeEvent.Kind) -> String? {
        switch kind {
        case .sample, .edge, .set: "value"
        case .call: "call"
        case .fault: "fault"
        case .recovered: "recovered"
        case .tree: "tree"
        case .failsafe: "failsafe"
        case .started: nil
        }
    }

    /// The frame for a change-feed event, or nil for an event the stream does not carry.
    public init?(_ event: ChangeEvent) {
        guard let name = StreamFrame.eventName(event.kind) else { return nil }
        let data: [UInt8]
        if let representation = event.representation {
            data = representation
        } else {
            var object: [String: JSONValue] = ["href": .string(event.path.description), "timestamp": .double(event.timestamp)]
            if let detail = event.detail, event.kind == .failsafe { object["reason"] = .string(detail) }
            if event.kind == .fault {
                let error = IOToyError(.hardwareFault, message: "\(event.path) is faulted: \(event.detail ?? "unknown")")
                object["type"] = .string(TypeURI.exception)
                object["help"] = .string(error.message)
                object["value"] = .object(["error": .string(error.code), "message": .string(error.message), "detail": .null])
            }
            data = (try? JSONCoding.encode(JSONValue.object(object))) ?? Array("{}".utf8)
        }
        self.init(sequence: event.sequence, path: event.path, name: name, data: data, coalescible: name == "value")
    }

    /// A frame with an id (when `sequence` > 0), an event name and one line of JSON data.
    public init(sequence: UInt64, path: ResourcePath, name: String, data: [UInt8], coalescible: Bool = false) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 40)
        if sequence > 0 { bytes += Array("id: \(sequence)\n".utf8) }
        bytes += Array("event: \(name)\ndata: ".utf8)
        // JSON from the encoder has no line breaks; a stray one would end the data line early.
        bytes += data.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
        bytes += [0x0A, 0x0A]
        self.sequence = sequence
        self.path = path
        self.coalescible = coalescible
        self.bytes = bytes
    }

    /// `dropped`: the watcher was too slow and lost `count` events.
    static func dropped(_ count: Int) -> StreamFrame {
        StreamFrame(sequence: 0, path: .root, name: "dropped", data: Array("{\"count\":\(count)}".utf8))
    }

    /// `reset`: the events since the client's Last-Event-ID are gone; current values follow.
    static func reset(after lastEventID: UInt64, oldest: UInt64) -> StreamFrame {
        StreamFrame(
            sequence: 0, path: .root, name: "reset",
            data: Array("{\"last_event_id\":\(lastEventID),\"oldest_kept\":\(oldest)}".utf8))
    }

    /// The comment line that keeps an idle connection open.
    public static let keepAlive: [UInt8] = Array(": keep-alive\n\n".utf8)
}
