import Foundation
import IOToyCore
import Testing

/// What reaches the real server's sockets before any resource is involved: requests the HTTP
/// parser refuses still get IOTOY JSON, and slow clients do not hold connections.
@Suite struct HTTPEdgeTests {
    /// The exception representation in an HTTP answer's body, and its status line.
    static func parse(_ answer: String) -> (statusLine: String, headers: String, json: JSONValue?) {
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let body = parts.dropFirst().joined(separator: "\r\n\r\n")
        return (head.components(separatedBy: "\r\n").first ?? "", head.lowercased(),
                try? JSONCoding.decode(JSONValue.self, from: Array(body.utf8)))
    }

    @Test func requestsTheParserRefusesGetJSON() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        for (request, status) in [
            ("FOO / HTTP/1.1\r\nHost: x\r\n\r\n", "400"),
            ("GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "431"),
            ("GET / HTTP/1.1\r\nHost x\r\n\r\n", "400"),
        ] {
            let connection = try RawConnection(port: daemon.port)
            defer { connection.close() }
            connection.send(request)
            let (answer, closed) = connection.readToEnd()
            let (statusLine, headers, json) = Self.parse(answer)
            #expect(statusLine.hasPrefix("HTTP/1.1 \(status)"), "\(request.prefix(20)): \(statusLine)")
            #expect(headers.contains("content-type: application/json"), "\(request.prefix(20))")
            #expect(json?["type"] == .string("iotoy.org/types/exception"), "\(request.prefix(20)): \(answer.prefix(300))")
            #expect(closed)
        }
        #expect(try await daemon.request(.get, "/eyes").status == 200, "the server keeps serving")
    }

    @Test func aHalfSentRequestIsClosedAfterTheHeadTimeout() async throws {
        let daemon = try await Daemon.simulating("""
            device: edge
            server: { head_timeout_ms: 300 }
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              eyes: { kind: gpio_out, line: gpio/GPIO17 }
            """)
        defer { _ = daemon.stop() }

        let half = try RawConnection(port: daemon.port, receiveTimeoutSeconds: 10)
        defer { half.close() }
        half.send("GET /eyes HTTP/1.1\r\nHost: x\r\n")            // no blank line: the head never ends
        let started = ContinuousClock.now
        let (answer, closed) = half.readToEnd()
        #expect(closed, "the server closed the half-sent request (after \(ContinuousClock.now - started))")
        #expect(answer.isEmpty)

        // A whole request on a fresh connection is answered, and the kept-alive connection is
        // closed once it idles past the same deadline.
        let whole = try RawConnection(port: daemon.port, receiveTimeoutSeconds: 10)
        defer { whole.close() }
        whole.send("GET /eyes HTTP/1.1\r\nHost: x\r\n\r\n")
        let (kept, closedAfterIdle) = whole.readToEnd()
        #expect(kept.hasPrefix("HTTP/1.1 200"), "\(kept.prefix(100))")
        #expect(closedAfterIdle)
    }

    @Test func connectionsBeyondTheCapAreAnswered503() async throws {
        let daemon = try await Daemon.simulating("""
            device: capped
            server: { max_connections: 2 }
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              eyes: { kind: gpio_out, line: gpio/GPIO17 }
            """)
        defer { _ = daemon.stop() }
        let first = try RawConnection(port: daemon.port), second = try RawConnection(port: daemon.port)
        first.send("GET /eyes HTTP/1.1\r\nHost: x\r\n\r\n")
        second.send("GET /eyes HTTP/1.1\r\nHost: x\r\n\r\n")
        var answers = ("", "")
        #expect(first.read(until: "\"value\"", after: &answers.0) && second.read(until: "\"value\"", after: &answers.1), "two are served")
        let third = try RawConnection(port: daemon.port)
        third.send("GET /eyes HTTP/1.1\r\nHost: x\r\n\r\n")
        let (refused, closed) = third.readToEnd()
        #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused.prefix(200))")
        #expect(refused.contains("too_many_connections"))
        #expect(closed)
        third.close()
        first.close()
        second.close()
    }
}
