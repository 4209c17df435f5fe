import Testing
@testable import IOToyClient

/// The client's event-stream parser, fed whole and split at every byte.
@Suite struct ServerSentEventParserTests {
    static let stream = Array((
        "retry: 2000\n\n: keep-alive\n\n"
        + "id: 7\nevent: value\ndata: {\"href\":\"/bumper\",\"value\":true}\n\n"
        + "id: 8\r\nevent: call\r\ndata:{\"value\":\"é\"}\r\n\r\n"
        + "event: dropped\rdata: {\"count\":3}\r\r"
        + "data: one\ndata: two\n\n"
        + "event: nothing\n\n"
        + "id: 9\nevent: value\ndata: {}\n"               // no blank line yet: not dispatched
    ).utf8)

    static let expected = [
        ServerSentEvent(id: "7", event: "value", data: "{\"href\":\"/bumper\",\"value\":true}"),
        ServerSentEvent(id: "8", event: "call", data: "{\"value\":\"é\"}"),
        ServerSentEvent(id: "8", event: "dropped", data: "{\"count\":3}"),
        ServerSentEvent(id: "8", event: "message", data: "one\ntwo"),
    ]

    @Test func wholeStream() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Self.stream) == Self.expected)
        #expect(parser.retryMilliseconds == 2000)
        #expect(parser.lastEventID == "9", "the id of an event not yet dispatched still counts")
    }

    @Test func splitAtEveryByte() {
        for split in 0...Self.stream.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(Self.stream[..<split]) + parser.feed(Self.stream[split...])
            #expect(events == Self.expected, "split at \(split)")
        }
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for byte in Self.stream { events += parser.feed([byte]) }
        #expect(events == Self.expected, "one byte at a time")
    }
}
