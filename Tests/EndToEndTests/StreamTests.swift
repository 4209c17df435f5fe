import Foundation
import IOToyCore
import Testing

/// The change stream of the real binary: Server-Sent Events over a plain socket.
@Suite struct StreamTests {
    static func open(_ daemon: Daemon, _ target: String, headers: String = "Accept: text/event-stream\r\n") throws -> (RawConnection, String) {
        let connection = try RawConnection(port: daemon.port, receiveTimeoutSeconds: 10)
        connection.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\(headers)\r\n")
        var received = ""
        guard connection.read(until: "\r\n\r\n", after: &received) else { throw RawConnectionError.failed("no answer: \(received)") }
        return (connection, received)
    }

    @Test func pressingTheBumperAndAnotherClientsPutArriveAsEvents() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let (stream, head) = try Self.open(daemon, "/")
        defer { stream.close() }
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.lowercased().contains("content-type: text/event-stream"))
        var received = head
        #expect(stream.read(until: "\"href\":\"/bumper\"", after: &received), "the current value of every cached attribute first: \(received)")
        #expect(stream.read(until: "\"href\":\"/climate/temperature\"", after: &received), "and every sensor")

        #expect(try await daemon.request(.put, "/_sim/gpio/pinctrl-bcm2711/GPIO27", body: "0").status == 200)   // press
        #expect(stream.read(until: "\"value\":true", after: &received), "the edge arrives: \(received.suffix(500))")
        let edge = received.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .first { $0.contains("\"href\":\"/bumper\"") && $0.contains("\"value\":true") }
        #expect(edge?.contains("event: value") == true)
        #expect(edge?.contains("\"timestamp\":") == true)

        #expect(try await daemon.request(.put, "/tail", body: "30").status == 200)
        #expect(stream.read(until: "\"href\":\"/tail\"", after: &received), "a PUT from another client arrives: \(received.suffix(500))")
        #expect(try await daemon.request(.post, "/eyes/toggle").status == 200)
        #expect(stream.read(until: "event: call", after: &received))

        // A plain GET (the original client) is unchanged.
        let plain = try await daemon.request(.get, "/bumper")
        #expect(plain.headers[.contentType] == "application/json")
        #expect(plain.json?["value"] == .bool(true))
    }

    @Test func watchQueryAPathAndResumingWithLastEventID() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let (leg, head) = try Self.open(daemon, "/front_left_leg?watch", headers: "")
        defer { leg.close() }
        var received = head
        #expect(head.lowercased().contains("text/event-stream"), "?watch without the header")
        #expect(try await daemon.request(.put, "/tail", body: "10").status == 200)
        #expect(try await daemon.request(.put, "/front_left_leg/lift", body: "100").status == 200)
        #expect(leg.read(until: "\"href\":\"/front_left_leg/lift\"", after: &received))
        #expect(!received.contains("/tail"), "only the watched part of the tree")
        // (The body is chunked: "\r\n" is one Character to Swift, so match ids with a regex.)
        guard let match = received.matches(of: try Regex("id: ([0-9]+)")).last, let digits = match.output[1].substring,
              let id = UInt64(digits) else { Issue.record("no id: \(received)"); return }

        #expect(try await daemon.request(.put, "/front_left_leg/lift", body: "110").status == 200)
        let (resumed, resumedHead) = try Self.open(daemon, "/front_left_leg", headers: "Accept: text/event-stream\r\nLast-Event-ID: \(id)\r\n")
        defer { resumed.close() }
        var again = resumedHead
        #expect(resumed.read(until: "\"value\":110", after: &again), "what was missed since \(id): \(again)")
        #expect(!again.contains("\"value\":100"))
    }

    @Test func theWatcherLimitAnswers503() async throws {
        let daemon = try await Daemon.simulating("""
            device: few
            server: { max_watchers: 1 }
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              eyes: { kind: gpio_out, line: gpio/GPIO17 }
            """)
        defer { _ = daemon.stop() }
        let (first, head) = try Self.open(daemon, "/")
        defer { first.close() }
        #expect(head.hasPrefix("HTTP/1.1 200"))
        let second = try await daemon.request(.get, "/", headers: [.accept: "text/event-stream"])
        #expect(second.status == 503)
        #expect(second.json?["value"]?["error"] == .string("too_many_watchers"))
        #expect(try await daemon.request(.get, "/eyes?watch&rate_ms=0").status == 400)
    }

    @Test func aBrowserIsSentToTheDashboardAndTheOriginalClientGetsJSON() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let browser = try await daemon.request(.get, "/", headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"])
        #expect(browser.status == 302)
        #expect(browser.headers[.location] == "/_ui/")
        let original = try await daemon.request(.get, "/", headers: [.accept: "*/*"])
        #expect(original.status == 200)
        #expect(original.headers[.contentType] == "application/json")
        for (file, type) in [("/_ui/", "text/html"), ("/_ui/app.js", "text/javascript"), ("/_ui/style.css", "text/css")] {
            let answer = try await daemon.request(.get, file)
            #expect(answer.status == 200, "\(file)")
            #expect(answer.headers[.contentType]?.hasPrefix(type) == true, "\(file)")
        }
        #expect(try await daemon.request(.get, "/_ui/nothing.js").status == 404)
    }
}
