import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// Access control with the real binary: tokens made by `iotoyd token add`, one check in front
/// of every route, roles, sessions for browsers, read-only, and the limit on failed attempts.
@Suite(.serialized) struct AccessTests {
    let directory: URL
    let tokensFile: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        tokensFile = directory.appendingPathComponent("tokens").path
    }

    func token(_ name: String, _ role: String) async throws -> String {
        let made = try await runToCompletion(["token", "add", name, "--role", role, "--file", tokensFile])
        #expect(made.status == 0, "\(made.stderr)")
        return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func board(_ auth: String, readOnly: Bool = false) throws -> String {
        let file = directory.appendingPathComponent("board-\(UUID().uuidString.prefix(6)).yaml")
        try """
            device: guarded
            server: { \(readOnly ? "read_only: true, " : "")auth: \(auth) }
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
              pwm: { kind: pwmchip, chip: pwmchip0 }
            resources:
              eyes: { kind: gpio_out, line: gpio/GPIO17 }
              tail: { kind: servo, pwm: pwm/0, angle: [-45, 45] }
            """.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func tokensAreStoredHashedWithMode0600() async throws {
        let token = try await token("laptop", "control")
        #expect(token.count >= 40)
        let text = try String(contentsOfFile: tokensFile, encoding: .utf8)
        #expect(!text.contains(token), "only the hash is kept")
        #expect(text.contains("laptop control "))
        let mode = try FileManager.default.attributesOfItem(atPath: tokensFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try await runToCompletion(["token", "list", "--file", tokensFile]).stdout == "laptop  control\n")
        #expect(try await runToCompletion(["token", "remove", "laptop", "--file", tokensFile]).status == 0)
        #expect(try await runToCompletion(["token", "list", "--file", tokensFile]).stdout == "")
    }

    @Test func everyRouteIsBehindTheCheckAndRolesDecide() async throws {
        let control = try await token("laptop", "control"), viewer = try await token("phone", "read"), admin = try await token("owner", "admin")
        let daemon = try await Daemon(["serve", "--simulate", try board("{ tokens_file: \(tokensFile), trusted: [], anonymous: none }")])
        defer { _ = daemon.stop() }
        // Every route the server answers, with no credentials: 401, the exception, WWW-Authenticate.
        let routes: [(HTTPRequest.Method, String, HTTPFields)] = [
            (.get, "/", [:]), (.get, "/devinfo", [:]), (.get, "/eyes", [:]),
            (.head, "/eyes", [:]), (.options, "/eyes", [:]), (.put, "/eyes", [:]), (.post, "/eyes/toggle", [:]),
            (.get, "/eyes?watch", [:]), (.get, "/", [.accept: "text/event-stream"]), (.get, "/_ui/nothing.js", [:]), (.put, "/_ui/", [:]),
            (.get, "/_sim", [:]), (.put, "/_sim/gpio/pinctrl-bcm2711/GPIO17", [:]), (.post, "/_heartbeat", [:]),
            (.post, "/_safe", [:]), (.post, "/_resume", [:]), (.get, "/nowhere", [:]), (.delete, "/eyes", [:]),
            (.post, "/_SAFE", [:]), (.post, "/%5Fsafe", [:]),
        ]
        for (method, uri, headers) in routes {
            let answer = try await daemon.request(method, uri, body: method == .put ? "1" : nil, headers: headers)
            #expect(answer.status == 401, "\(method) \(uri)")
            #expect(answer.headers[.wwwAuthenticate] == "Bearer realm=\"iotoyd\"", "\(method) \(uri)")
            if method != .head { #expect(answer.json?["value"]?["error"] == .string("unauthorized"), "\(method) \(uri)") }
        }
        // The dashboard's own files (no device data) and a browser's redirect are for anyone:
        // the page then asks for a token when /devinfo answers 401.
        #expect(try await daemon.request(.get, "/", headers: [.accept: "text/html"]).status == 302)
        for file in ["/_ui/", "/_ui/app.js", "/_ui/style.css"] { #expect(try await daemon.request(.get, file).status == 200, "\(file)") }

        // Roles: read looks, control moves, admin stops.
        #expect(try await daemon.request(.get, "/eyes", headers: Self.bearer(viewer)).status == 200)
        let refused = try await daemon.request(.put, "/eyes", body: "1", headers: Self.bearer(viewer))
        #expect(refused.status == 403)
        #expect(refused.json?["value"]?["message"] == .string("the read role may not do this; it needs control"))
        #expect(try await daemon.request(.put, "/eyes", body: "1", headers: Self.bearer(control)).status == 200)
        #expect(try await daemon.request(.post, "/_heartbeat", headers: Self.bearer(control)).status == 200)
        #expect(try await daemon.request(.post, "/_safe", headers: Self.bearer(control)).status == 403)
        #expect(try await daemon.request(.post, "/_safe", headers: Self.bearer(admin)).status == 200)
        #expect(try await daemon.request(.post, "/_resume", headers: Self.bearer(admin)).status == 200)
        let wrong = try await daemon.request(.get, "/eyes", headers: Self.bearer("not-a-token"))
        #expect(wrong.status == 401)
        #expect(wrong.json?["value"]?["message"] == .string("the token is not valid"))

        // The stream, with a token.
        let stream = try RawConnection(port: daemon.port, receiveTimeoutSeconds: 10)
        defer { stream.close() }
        stream.send("GET /eyes HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer \(viewer)\r\n\r\n")
        var received = ""
        #expect(stream.read(until: "\r\n\r\n", after: &received))
        #expect(received.hasPrefix("HTTP/1.1 200"), "\(received)")

        // A browser: the token for a session cookie (HttpOnly, SameSite=Strict), then the cookie.
        let login = try await daemon.request(.post, "/_login", body: control)
        #expect(login.status == 200)
        let cookie = try #require(login.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let session = String(cookie.prefix { $0 != ";" })
        #expect(try await daemon.request(.put, "/tail", body: "10", headers: [.cookie: session]).status == 200)
        #expect(try await daemon.request(.post, "/_login", body: "guess").status == 401)

        // The iotoy command: --token, IOTOY_TOKEN, and exit status 10 without.
        let withToken = try await iotoy("get", "--token", viewer, "127.0.0.1:\(daemon.port)/eyes")
        #expect(withToken.status == 0, "\(withToken)")
        let without = try await iotoy("get", "127.0.0.1:\(daemon.port)/eyes")
        #expect(without.status == 10, "\(without)")
        let notAllowed = try await iotoy("set", "--token", viewer, "127.0.0.1:\(daemon.port)/eyes", "1")
        #expect(notAllowed.status == 10, "\(notAllowed)")
    }

    @Test func repeatedBadTokensAreAnswered429() async throws {
        _ = try await token("laptop", "control")
        let daemon = try await Daemon(["serve", "--simulate", try board("{ tokens_file: \(tokensFile), trusted: [] }")])
        defer { _ = daemon.stop() }
        #expect(try await daemon.request(.get, "/eyes").status == 200, "anonymous: read is the default")
        for _ in 0..<10 { #expect(try await daemon.request(.get, "/eyes", headers: Self.bearer("guess")).status == 401) }
        let limited = try await daemon.request(.get, "/eyes", headers: Self.bearer("guess"))
        #expect(limited.status == 429)
        #expect(limited.headers[.retryAfter] != nil)
        #expect(daemon.log.contains("authentication failed"))
    }

    @Test func trustedNetworksNeedNoTokenAndReadOnlyRefusesEveryChange() async throws {
        _ = try await token("laptop", "control")
        let trusted = try await Daemon(["serve", "--simulate", try board("{ tokens_file: \(tokensFile), anonymous: none }")])
        #expect(try await trusted.request(.put, "/eyes", body: "1").status == 200, "loopback is trusted by default")
        _ = trusted.stop()
        let readOnly = try await Daemon(["serve", "--simulate", try board("{ anonymous: read }", readOnly: true)])
        defer { _ = readOnly.stop() }
        #expect(try await readOnly.request(.get, "/eyes").status == 200)
        let refused = try await readOnly.request(.put, "/eyes", body: "1")
        #expect(refused.status == 403)
        #expect(refused.json?["value"]?["message"] == .string("this device is read-only (server.read_only)"))
    }
}
