import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// The real iotoyd, through its real termios code, against a text-protocol device on a
/// pseudo-terminal (a small Python relay board with a thermometer), and `--simulate` on the
/// same board file.
@Suite(.serialized) struct SerialTextTests {
    static func board(port: String) -> String {
        #"""
        device: textbench
        hardware:
          uno: { kind: serial, port: \#(port), baud: 9600 }
        resources:
          relays:
            kind: serial_text
            serial: uno
            newline: "\r\n"
            timeout_ms: 400
            error: "^ERR"
            attributes:
              relay1:
                type: bool
                map: { "ON": true, "OFF": false }
                read: { query: "STATUS1", pattern: "^RELAY1=(?<value>ON|OFF)$" }
                write: { send: "RELAY1 {value}", expect: "^OK$" }
              temperature:
                type: float
                unit: degC
                read: { query: "T?", pattern: "^T=(?<value>-?[0-9.]+)$" }
                listen: true
              setpoint:
                type: int
                min: 5
                max: 30
                unit: degC
                read: { query: "SP?", pattern: "^SP=(?<value>-?[0-9]+)$" }
                write: { send: "SP {value}", expect: "^OK$" }
              fix:
                type: str
                read: { pattern: "^\\$GPGGA,(?<value>[^*]*)" }
            functions:
              all_off: { send: "ALLOFF", expect: "^OK$", help: Every relay off }
        """#
    }

    @Test func aRelayBoardOverAPseudoTerminal() async throws {
        let device = try TextDeviceScript()
        defer { device.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-text-\(UUID().uuidString).yaml")
        try Self.board(port: device.link).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let daemon = try await Daemon(["serve", file.path, "--log-level", "debug"])
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("started /relays"), "\(daemon.log)")

        // Queries, typed through the board's map and unit.
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(false))
        let temperature = try await daemon.request(.get, "/relays/temperature")
        #expect(temperature.json?["value"] == .double(21.5))
        #expect(temperature.json?["constraints"]?["unit"] == .string("degC"))
        // A write acknowledged, then read back from the device.
        let put = try await daemon.request(.put, "/relays/relay1", body: "true")
        #expect(put.status == 200, "\(String(describing: put.json))")
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(true))
        #expect(try await daemon.request(.post, "/relays/all_off").status == 200)
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(false))
        // Out of range: 422 before anything is sent; the device's refusal: 409.
        let tooWarm = try await daemon.request(.put, "/relays/setpoint", body: "31")
        #expect(tooWarm.status == 422)
        #expect(try await daemon.request(.put, "/relays/setpoint", body: "13").status == 409, "the script refuses odd set-points")
        #expect(try await daemon.request(.put, "/relays/setpoint", body: "22").status == 200)
        #expect(try await daemon.request(.get, "/relays/setpoint").json?["value"] == .int(22))
        #expect(!device.received.contains("SP 31"), "the refused value never reached the device: \(device.received)")

        // Unsolicited lines reach the change feed and the query-less attribute.
        let before = daemon.log.count
        device.say("T=22.25")
        device.say("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47")
        #expect(await daemon.waitForLog("sample /relays/temperature = 22.25", after: before), "\(daemon.log)")
        #expect(await daemon.waitForLog("sample /relays/fix", after: before))
        #expect(try await daemon.request(.get, "/relays/fix").json?["value"] == .string("123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"))

        // A silent device: 504, and the component stays up.
        device.command("SILENT")
        let silent = try await daemon.request(.get, "/relays/relay1")
        #expect(silent.status == 504)
        #expect(silent.json?["value"]?["error"] == .string("device_timeout"))
        device.command("TALK")
        #expect(try await daemon.request(.get, "/relays/temperature").status == 200)

        // Unplugged: 503 while it is gone, then reopened with back-off when it is back.
        let beforeUnplug = daemon.log.count
        device.command("UNPLUG")
        #expect(await daemon.waitForLog("fault /relays", after: beforeUnplug), "\(daemon.log)")
        #expect(try await daemon.request(.get, "/relays/relay1").status == 503)
        #expect(await daemon.waitForLog("recovered /relays", after: beforeUnplug, timeout: 15), "\(daemon.log)")
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(false))
    }

    @Test func theSameBoardUnderSimulate() async throws {
        let daemon = try await Daemon(["serve", "--simulate", try Self.write(Self.board(port: "/dev/ttyACM7")), "--log-level", "debug"])
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("started /relays"), "\(daemon.log)")
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(true), "the map's first value")
        #expect(try await daemon.request(.put, "/relays/relay1", body: "false").status == 200)
        #expect(try await daemon.request(.get, "/relays/relay1").json?["value"] == .bool(false))
        #expect(try await daemon.request(.get, "/relays/setpoint").json?["value"] == .int(5), "0 within the limits")
        #expect(try await daemon.request(.put, "/relays/setpoint", body: "21").status == 200)
        #expect(try await daemon.request(.get, "/relays/setpoint").json?["value"] == .int(21))
        #expect(try await daemon.request(.get, "/relays/temperature").json?["value"]?.doubleValue == 0)
        #expect(try await daemon.request(.get, "/relays/fix").json?["value"] == .string("sim"), "sent on connect")
        #expect(try await daemon.request(.post, "/relays/all_off").status == 200)
    }

    static func write(_ yaml: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-text-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// A relay board with a thermometer, in Python, on a pseudo-terminal behind a stable link.
/// Its stdin takes `SAY <line>` (send a line unasked), `SILENT`, `TALK` and `UNPLUG` (close
/// the pty and open a new one at the same link after 300 ms), and it ends at EOF; every line it receives is
/// echoed on its stdout as `GOT <line>`.
final class TextDeviceScript: @unchecked Sendable {
    let process = Process()
    let link: String
    private let input = Pipe()
    private let lock = NSLock()
    private var lines: [String] = []

    static let script = #"""
        import os, pty, select, sys, time, tty
        link = sys.argv[1]
        def plug():
            master, slave = pty.openpty()
            tty.setraw(slave)
            if os.path.lexists(link): os.remove(link)
            os.symlink(os.ttyname(slave), link)
            return master, slave
        master, slave = plug()
        print("READY", flush=True)
        state = {"relay": "OFF", "sp": "20"}
        silent = False
        pending = b""
        commands = b""
        def send(line):
            os.write(master, (line + "\r\n").encode())
        def answer(line):
            if line == "STATUS1": return "RELAY1=" + state["relay"]
            if line in ("RELAY1 ON", "RELAY1 OFF"): state["relay"] = line[7:]; return "OK"
            if line == "ALLOFF": state["relay"] = "OFF"; return "OK"
            if line == "T?": return "T=21.5"
            if line == "SP?": return "SP=" + state["sp"]
            if line.startswith("SP "):
                if int(line[3:]) % 2: return "ERR odd"
                state["sp"] = line[3:]; return "OK"
            return "ERR unknown"
        while True:
            ready, _, _ = select.select([master, sys.stdin], [], [])
            if sys.stdin in ready:
                # Unbuffered: a buffered readline would hide a second command from select.
                data = os.read(0, 4096)
                if not data: break
                commands += data
                while b"\n" in commands:
                    raw, commands = commands.split(b"\n", 1)
                    command = raw.decode()
                    if command.startswith("SAY "): send(command[4:])
                    elif command == "SILENT": silent = True
                    elif command == "TALK": silent = False
                    elif command == "UNPLUG":
                        os.close(master); os.close(slave); pending = b""
                        time.sleep(0.3)
                        master, slave = plug()
                continue
            try:
                data = os.read(master, 256)
            except OSError:
                continue
            pending += data.replace(b"\r", b"\n")
            while b"\n" in pending:
                raw, pending = pending.split(b"\n", 1)
                line = raw.decode(errors="replace")
                if not line: continue
                print("GOT " + line, flush=True)
                if not silent: send(answer(line))
        """#

    init() throws {
        let directory = try FirmwareProcess.scratchDirectory()
        link = directory.appendingPathComponent("relays.pty").path
        let scriptFile = directory.appendingPathComponent("relays.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptFile.path, link]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        var first = ""
        while !first.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { throw FirmwareError.notBuilt("the device script did not start: '\(first)'") }
            first += String(decoding: chunk, as: UTF8.self)
        }
        Thread.detachNewThread { [self] in
            var buffer = ""
            while case let chunk = handle.availableData, !chunk.isEmpty {
                buffer += String(decoding: chunk, as: UTF8.self)
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = String(buffer[..<newline])
                    buffer.removeSubrange(...newline)
                    if line.hasPrefix("GOT ") { lock.withLock { lines.append(String(line.dropFirst(4))) } }
                }
            }
        }
    }

    /// The lines the device received so far.
    var received: [String] { lock.withLock { lines } }

    /// Sends `line` unasked.
    func say(_ line: String) { command("SAY " + line) }

    func command(_ text: String) {
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
    }

    /// Ends the script by closing its stdin (a signal may be blocked in a child of the test runner).
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
