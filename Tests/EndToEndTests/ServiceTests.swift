import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// The daemon as systemd runs it, against the real binary: the notifications (`READY=1` once
/// serving, `WATCHDOG=1` while alive, `RELOADING=1` around a reload, `STOPPING=1`), and the
/// board file's hot reload by `POST /_reload` and SIGHUP while a client holds a keep-alive
/// connection and a stream.
@Suite(.serialized) struct ServiceTests {
    static let board = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }
        resources:
          tail: { kind: servo, pwm: pwm/0, limits: [20, 160], initial: 90 }
          eyes: { kind: gpio_out, line: gpio/GPIO17 }
        """

    static func writeBoard(_ yaml: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-reload-\(UUID().uuidString.prefix(8)).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func systemdHearsReadyWatchdogAndStopping() async throws {
        let notify = try NotifySocket()
        let file = try Self.writeBoard(Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(
            ["serve", "--simulate", file.path],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "300000", "WATCHDOG_PID": ""])
        #expect(await notify.wait(for: "READY=1\nSTATUS=serving 2 components on port \(daemon.port)"), "\(notify.received)")
        // Pings every 100 ms while the event loops and owners answer.
        let afterReady = notify.received.count
        #expect(await notify.wait(for: "WATCHDOG=1", after: afterReady))
        #expect(await notify.wait(for: "WATCHDOG=1", after: notify.received.count))
        #expect(daemon.stop() == 0)
        #expect(notify.received.contains("STOPPING=1"))
    }

    @Test func aWatchdogForAnotherProcessIsNotFed() async throws {
        let notify = try NotifySocket()
        let daemon = try await Daemon(["serve", "--simulate", "boards/demo.yaml"], environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "300000", "WATCHDOG_PID": "1"])
        #expect(await notify.wait(for: "READY=1"))
        // Its own requests still get through while no WATCHDOG=1 is sent.
        #expect(try await daemon.request(.get, "/tail").status == 200)
        #expect(daemon.stop() == 0)
        #expect(!notify.received.contains("WATCHDOG=1"))
    }

    @Test func reloadKeepsConnectionsAndStreamsAndRefusesABadFile() async throws {
        let notify = try NotifySocket()
        let file = try Self.writeBoard(Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", "--simulate", file.path], environment: ["NOTIFY_SOCKET": notify.path])
        defer { _ = daemon.stop() }
        #expect(await notify.wait(for: "READY=1"))
        #expect(try await daemon.request(.put, "/tail", body: #"{"value": 120}"#, headers: [.contentType: "application/json"]).status == 200)
        let (stream, _) = try StreamTests.open(daemon, "/")
        defer { stream.close() }
        let keepAlive = try RawConnection(port: daemon.port, receiveTimeoutSeconds: 10)
        defer { keepAlive.close() }
        var answer = ""
        keepAlive.send("GET /eyes HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(keepAlive.read(until: "}", after: &answer))

        // A valid edit: the eyes move to another line, a horn appears; the tail is untouched.
        try (Self.board.replacingOccurrences(of: "GPIO17", with: "GPIO22")
            + "\n  horn: { kind: gpio_out, line: gpio/GPIO23, initial: true }\n").write(to: file, atomically: true, encoding: .utf8)
        let reloaded = try await daemon.request(.post, "/_reload")
        #expect(reloaded.status == 200)
        #expect(reloaded.json?["value"]?["kept"] == .array([.string("/tail")]))
        #expect(reloaded.json?["value"]?["started"] == .array([.string("/eyes"), .string("/horn")]))
        #expect(await notify.wait(for: "RELOADING=1"))
        var streamed = ""
        #expect(stream.read(until: "event: tree", after: &streamed), "\(streamed)")
        #expect(try await daemon.request(.get, "/tail").json?["value"] == .int(120))
        #expect(try await daemon.request(.get, "/horn").json?["value"] == .bool(true))
        // The keep-alive connection opened before the reload is still served.
        answer = ""
        keepAlive.send("GET /horn HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(keepAlive.read(until: "\"value\":true", after: &answer), "\(answer)")

        // An invalid edit changes nothing and says where.
        try (Self.board + "\n  horn: { kind: gpio_out, line: gpio/GPIO23, intial: true }\n").write(to: file, atomically: true, encoding: .utf8)
        let refused = try await daemon.request(.post, "/_reload")
        #expect(refused.status == 422)
        #expect(refused.json?["value"]?["error"] == .string("invalid_board"))
        guard case .string(let detail)? = refused.json?["value"]?["detail"] else { Issue.record("no detail"); return }
        #expect(detail.contains("\(file.lastPathComponent):8:"), "\(detail)")
        #expect(detail.contains("intial"))
        #expect(try await daemon.request(.get, "/horn").status == 200)
        #expect(daemon.log.contains("reload refused"))

        // SIGHUP does the same as POST /_reload: the horn goes.
        try Self.board.write(to: file, atomically: true, encoding: .utf8)
        let logged = daemon.log.count
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await daemon.waitForLog("board file reloaded", after: logged))
        #expect(try await daemon.request(.get, "/horn").status == 404)
        #expect(daemon.process.isRunning)
    }

    @Test func reloadsAskedForAtOnceRunOneAfterAnother() async throws {
        let file = try Self.writeBoard(Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", "--simulate", file.path])
        defer { _ = daemon.stop() }
        try (Self.board + "\n  horn: { kind: gpio_out, line: gpio/GPIO23, initial: true }\n").write(to: file, atomically: true, encoding: .utf8)
        // Four at once: the first starts the horn, the others find nothing left to change. Run
        // side by side, two would each start a horn on the same line.
        let reports = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            for _ in 0..<4 { group.addTask { try await daemon.request(.post, "/_reload").json?["value"] } }
            return try await group.reduce(into: [JSONValue?]()) { $0.append($1) }
        }
        let started = reports.map { $0?["started"] }
        #expect(started.filter { $0 == .array([.string("/horn")]) }.count == 1, "\(reports)")
        #expect(started.filter { $0 == .array([]) }.count == 3, "\(reports)")
        #expect(try await daemon.request(.get, "/horn").json?["value"] == .bool(true))
        #expect(!daemon.log.contains("error"), "\(daemon.log)")
    }

    @Test func theReloadCommandPrintsWhatChangedOrTheErrors() async throws {
        let file = try Self.writeBoard(Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", "--simulate", file.path])
        defer { _ = daemon.stop() }
        try (Self.board + "\n  horn: { kind: gpio_out, line: gpio/GPIO23 }\n").write(to: file, atomically: true, encoding: .utf8)
        let done = try await runToCompletion(["reload", "--port", "\(daemon.port)"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("started: /horn"))
        try (Self.board + "\n  horn: { kind: gpio_out, line: gpio/GPIO99x }\n").write(to: file, atomically: true, encoding: .utf8)
        let refused = try await runToCompletion(["reload", "--port", "\(daemon.port)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the running tree is unchanged"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(file.lastPathComponent):8:"), "\(refused.stderr)")
        // The demo has no board file to reload.
        let demo = try await Daemon([])
        defer { _ = demo.stop() }
        let none = try await demo.request(.post, "/_reload")
        #expect(none.status == 409)
        #expect(none.json?["value"]?["error"] == .string("no_board_file"))
        kill(demo.process.processIdentifier, SIGHUP)
        #expect(await demo.waitForLog("no board file to reload"))
        #expect(demo.process.isRunning)
    }
}

extension ServiceTests {
    @Test func aBoardThatSaysSimulateIsServedOnSimulatedHardware() async throws {
        let file = try Self.writeBoard("simulate: true\n" + Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", file.path])
        defer { _ = daemon.stop() }
        #expect(daemon.log.contains("(simulated hardware)"), "\(daemon.log)")
        #expect(try await daemon.request(.put, "/eyes", body: "true").status == 200)
        #expect(try await daemon.request(.get, "/_sim").status == 200)
    }
}

extension ServiceTests {
    @Test func aReloadWhoseTokensFileIsMissingChangesNothing() async throws {
        let file = try Self.writeBoard(Self.board)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", "--simulate", file.path])
        defer { _ = daemon.stop() }
        let edited = Self.board.replacingOccurrences(of: "device: rover\n", with: "device: rover\nserver: { auth: { tokens_file: /nonexistent/iotoy-tokens } }\n")
            + "\n  horn: { kind: gpio_out, line: gpio/GPIO23 }\n"
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let refused = try await daemon.request(.post, "/_reload")
        #expect(refused.status == 422)
        guard case .string(let detail)? = refused.json?["value"]?["detail"] else { Issue.record("no detail"); return }
        #expect(detail.contains("/nonexistent/iotoy-tokens"), "\(detail)")
        // Neither the new component nor the new access policy took effect.
        #expect(try await daemon.request(.get, "/horn").status == 404)
        #expect(try await daemon.request(.put, "/eyes", body: "true").status == 200)
    }
}
