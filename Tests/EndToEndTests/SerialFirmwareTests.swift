import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// The real iotoyd, through its real termios code, against the project's real firmware
/// (built for Linux, on a pseudo-terminal): `iotoyd serve --serial PORT`.
@Suite(.serialized) struct SerialFirmwareTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func testHostIsIntrospectedAndEveryTypeAndArityWorks() async throws {
        let firmware = try FirmwareProcess("testhost")
        defer { firmware.stop() }
        let daemon = try await Daemon.serial(firmware.link)
        defer { _ = daemon.stop() }

        let root = try await daemon.request(.get, "/")
        guard case .array(let names)? = root.json?["value"] else { Issue.record("no directory: \(String(describing: root.json))"); return }
        #expect(Set(names) == Set(["drive_forward_time_ms", "turn_time_ms", "str_id", "ratio", "some_flag", "uptime_ms",
                                   "one_arg_int_result_int", "barecommand", "no_arg_result_int", "one_arg_no_result", "add",
                                   "scale", "echo", "not", "divide", "label", "slow", "devinfo"].map(JSONValue.string)))
        let devinfo = try await daemon.request(.get, "/devinfo")
        #expect(devinfo.json?["value"]?["devicename"] == .string("testhost"))
        #expect(devinfo.json?["value"]?["attrs"]?["ratio"]?["type"] == .string("float"))
        #expect(devinfo.json?["value"]?["funcs"]?["add"]?["value"]?["spec"]?["args"] == .array([.array([.string("a"), .string("int")]), .array([.string("b"), .string("int")])]))

        // Every type, set the way the original client does (bare text, no Content-Type) and as JSON.
        let writes: [(String, String, HTTPFields, JSONValue)] = [
            ("/drive_forward_time_ms", "1234", [:], .int(1234)),
            ("/str_id", "hello world", [:], .string("hello world")),
            ("/ratio", "2.5", [:], .double(2.5)),
            ("/some_flag", "True", [:], .bool(true)),
            ("/some_flag", "false", Self.json, .bool(false)),
            ("/turn_time_ms", #"{"value": 900}"#, Self.json, .int(900)),
        ]
        for (path, body, headers, expected) in writes {
            let put = try await daemon.request(.put, path, body: body, headers: headers)
            #expect(put.status == 200, "PUT \(path) \(body)")
            #expect(put.json?["value"] == expected, "PUT \(path) \(body)")
            #expect(try await daemon.request(.get, path).json?["value"] == expected)
        }

        // Functions with no, one and two arguments.
        #expect(try await daemon.request(.post, "/barecommand").json?["type"] == .string(TypeURI.null))
        let one = try await daemon.request(.post, "/one_arg_int_result_int", body: "41")
        #expect(one.json?["value"] == .int(41) && one.json?["name"] == .string("result"))
        #expect(try await daemon.request(.post, "/add", body: "[2, 3]", headers: Self.json).json?["value"] == .int(5))
        #expect(try await daemon.request(.post, "/label", body: #"{"args": [3, "some words"]}"#, headers: Self.json).json?["value"] == .string("3: some words"))
        #expect(try await daemon.request(.post, "/scale", body: "[1.5, 4]", headers: Self.json).json?["value"]?.doubleValue == 6)

        // The device's refusals and the host's own.
        let refused = try await daemon.request(.put, "/turn_time_ms", body: "20000")
        #expect(refused.status == 409)
        #expect(refused.json?["type"] == .string(TypeURI.exception))
        #expect(refused.json?["value"]?["error"] == .string("device_refused"))
        #expect(try await daemon.request(.post, "/divide", body: "[1, 0]", headers: Self.json).status == 409)
        // iotoy tells the device's refusal (9) from a limit iotoyd enforces (7).
        let cli = try await iotoy("set", "127.0.0.1:\(daemon.port)/turn_time_ms", "20000")
        #expect(cli.status == 9, "\(cli)")
        #expect(cli.stderr.contains("the device refused"), "\(cli.stderr)")
        #expect(try await daemon.request(.put, "/ratio", body: "lots").status == 400)
        let tooLong = try await daemon.request(.put, "/str_id", body: String(repeating: "x", count: 140))
        #expect(tooLong.status == 400)
        #expect(tooLong.json?["value"]?["error"] == .string("command_refused"))
        #expect(try await daemon.request(.get, "/str_id").json?["value"] == .string("hello world"), "nothing was sent")
    }

    @Test func aSlowFunctionTimesOutAndTheDeviceIsInStepAfterwards() async throws {
        let firmware = try FirmwareProcess("testhost")
        defer { firmware.stop() }
        let daemon = try await Daemon.serial(firmware.link)
        defer { _ = daemon.stop() }

        #expect(try await daemon.request(.post, "/slow", body: "300").status == 200)
        let slow = try await daemon.request(.post, "/slow", body: "2600")
        #expect(slow.status == 504)
        #expect(slow.json?["value"]?["error"] == .string("device_timeout"))
        // The move ends 0.6 s later: the next command waits for the device to get back in step.
        let ratio = try await daemon.request(.get, "/ratio")
        #expect(ratio.status == 200)
        #expect(ratio.json?["value"] == .double(0.5))
        #expect(try await daemon.request(.post, "/add", body: "[20, 22]", headers: Self.json).json?["value"] == .int(42))
    }

    @Test func unplugAnswers503AndReplugIsFoundAgain() async throws {
        let firmware = try FirmwareProcess("testhost", unplugMs: 3000)
        defer { firmware.stop() }
        let daemon = try await Daemon.serial(firmware.link)
        defer { _ = daemon.stop() }
        #expect(try await daemon.request(.put, "/ratio", body: "1.5").status == 200)

        let before = daemon.log.count
        firmware.unplug()
        #expect(await daemon.waitForLog("component faulted", after: before), "the hang-up is noticed while idle")
        let unplugged = try await daemon.request(.get, "/ratio")
        #expect(unplugged.status == 503)
        #expect(unplugged.json?["value"]?["error"] == .string("hardware_fault"))

        #expect(await daemon.waitForLog("component recovered", after: before), "reopened with back-off and introspected again")
        #expect(daemon.log.dropFirst(before).contains("serial device introspected"), "asked again what it has")
        let back = try await daemon.request(.get, "/ratio")
        #expect(back.status == 200)
        #expect(back.json?["value"]?.doubleValue != nil)
        #expect(try await daemon.request(.post, "/add", body: "[1, 2]", headers: Self.json).json?["value"] == .int(3))
    }

    @Test func aSerialBoardRunsOnASimulatedMicrocontroller() async throws {
        let daemon = try await Daemon(["serve", "--simulate", "boards/legcontroller.yaml"])
        defer { _ = daemon.stop() }
        let leg = try await daemon.request(.get, "/legcontroller")
        #expect(leg.json?["value"] == .array(["lift", "swing", "move", "center"].map(JSONValue.string)))
        #expect(try await daemon.request(.post, "/legcontroller/move", body: "[45, 100]", headers: Self.json).status == 200)
        #expect(try await daemon.request(.get, "/legcontroller/lift").json?["value"] == .int(45))
        #expect(try await daemon.request(.put, "/legcontroller/swing", body: "10").status == 409, "the device's own limit (its refusal)")
    }

    @Test func aMissingDeviceIsServedAs503UntilItAppears() async throws {
        let link = try FirmwareProcess.scratchDirectory().appendingPathComponent("later.pty").path
        let daemon = try await Daemon(["serve", "--serial", link])     // HTTP answers before the device does
        defer { _ = daemon.stop() }
        for path in ["/", "/devinfo", "/ratio"] {
            let waiting = try await daemon.request(.get, path)
            #expect(waiting.status == 503, "\(path)")
            #expect(waiting.json?["value"]?["message"]?.stringValue?.hasPrefix("waiting for the IOTOY device on \(link)") == true,
                    "\(path): \(String(describing: waiting.json))")
        }
        #expect(try await daemon.request(.put, "/ratio", body: "1").status == 503)

        let firmware = try FirmwareProcess(
            binary: try FirmwareProcess.ensureBuilt("testhost"), arguments: ["--pty-link", link, "--unplug-ms", "300"], link: link)
        defer { firmware.stop() }
        #expect(await daemon.waitForLog("device answered", timeout: 30), "found with back-off once it appeared")
        let devinfo = try await daemon.request(.get, "/devinfo")
        #expect(devinfo.status == 200)
        #expect(devinfo.json?["value"]?["devicename"] == .string("testhost"), "the tree takes the device's own name")
        #expect(try await daemon.request(.post, "/add", body: "[1, 2]", headers: Self.json).json?["value"] == .int(3))
    }

    @Test func badSerialOptionsAreRefusedBeforeAnyPortIsOpened() async throws {
        let baud = try await runToCompletion(["serve", "--serial", "/dev/ttyACM9", "--baud", "12345"])
        #expect(baud.status == 64)
        #expect(baud.stderr.contains("12345 is not a standard baud rate"), "\(baud.stderr)")
        let both = try await runToCompletion(["serve", "boards/testhost.yaml", "--serial", "/dev/ttyACM9"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("give one or the other"), "\(both.stderr)")
    }
}
