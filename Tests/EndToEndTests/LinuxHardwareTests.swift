import Foundation
import IOToyCore
import Testing

/// The real binary on this machine's (absent) hardware: probe, selftest, and serving a board
/// whose chips are missing — each component answers 503 naming its device, the rest serves.
@Suite struct LinuxHardwareTests {
    /// A board naming hardware no machine here has.
    static let missingHardwareBoard = """
        device: nowhere
        hardware:
          gpio: { kind: gpiochip, chip: iotoy-missing-chip }
          i2c9: { kind: i2c, bus: 99 }
          pwm:  { kind: pwmchip, chip: pwmchip99 }
        resources:
          led:     { kind: gpio_out, line: gpio/GPIO17 }
          climate: { kind: bme280, i2c: i2c9, address: 0x76 }
          tail:    { kind: servo, pwm: pwm/0 }
        """

    func withBoard<T>(_ yaml: String, _ body: (String) async throws -> T) async throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-linux-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await body(file.path)
    }

    @Test func servesABoardWhoseHardwareIsMissingWithEachComponentFaulted() async throws {
        try await withBoard(Self.missingHardwareBoard) { board in
            let daemon = try await Daemon(["serve", board])
            defer { _ = daemon.stop() }
            #expect(daemon.log.contains("(Linux hardware)"))
            #expect(try await daemon.request(.get, "/").status == 200)
            var led = try await daemon.request(.get, "/led")
            for _ in 0..<500 where led.json?["value"]?["error"] == .string("starting") {
                led = try await daemon.request(.get, "/led")   // until the supervisor's first start attempt
            }
            #expect(led.status == 503)
            #expect(led.json?["value"]?["message"]?.stringValue?.contains("gpio chip 'iotoy-missing-chip'") == true)
            let climate = try await daemon.request(.get, "/climate/temperature")
            #expect(climate.status == 503)
            #expect(climate.json?["value"]?["message"]?.stringValue?.contains("/dev/i2c-99") == true)
            let tail = try await daemon.request(.put, "/tail", body: "90")
            #expect(tail.status == 503)
            #expect(tail.json?["value"]?["message"]?.stringValue?.contains("pwmchip99") == true)
            // A fault is logged once when it starts, not once per request.
            for _ in 0..<6 { _ = try await daemon.request(.get, "/led") }
            #expect(daemon.log.components(separatedBy: "component faulted").count - 1 == 3, "one line per faulted component: \(daemon.log)")
            #expect(!daemon.log.contains("request failed"))
        }
    }

    @Test func selftestReportsEachMissingDeviceAndFails() async throws {
        try await withBoard(Self.missingHardwareBoard) { board in
            let result = try await runToCompletion(["selftest", board])
            #expect(result.status == 1)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("FAIL  /led") && $0.contains("gpio chip 'iotoy-missing-chip'") })
            #expect(lines.contains { $0.hasPrefix("FAIL  /climate") && $0.contains("/dev/i2c-99") })
            #expect(lines.contains { $0.hasPrefix("FAIL  /tail") && $0.contains("pwmchip99") })
            #expect(lines.last == "0 passed, 3 failed")
        }
    }

    @Test func selftestPassesTheDemoOnSimulatedHardware() async throws {
        let result = try await runToCompletion(["selftest", "boards/demo.yaml", "--simulate"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("PASS  /climate"))
        #expect(result.stdout.contains("temperature=25.08"))
        #expect(result.stdout.contains("PASS  /eyes") && result.stdout.contains("value=false (written back)"))
        #expect(result.stdout.contains("PASS  /tail") && result.stdout.contains("safe state"))
        #expect(result.stdout.contains("PASS  /base") && result.stdout.contains("left/speed=0.0 (written back)"))
        #expect(result.stdout.contains("PASS  /distance") && result.stdout.contains("echo_us=5830.904"))
        #expect(result.stdout.hasSuffix("11 passed, 0 failed\n"))
    }

    @Test func probeListsWhatAFakeMachineHas() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = root.appendingPathComponent("dev"), sys = root.appendingPathComponent("sys")
        let pwm = sys.appendingPathComponent("class/pwm/pwmchip0")
        for directory in [dev.appendingPathComponent("serial/by-id"), pwm, sys.appendingPathComponent("class/i2c-dev/i2c-1")] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try "2\n".write(to: pwm.appendingPathComponent("npwm"), atomically: true, encoding: .utf8)
        try "bcm2835 (i2c@7e804000)\n".write(to: sys.appendingPathComponent("class/i2c-dev/i2c-1/name"), atomically: true, encoding: .utf8)
        try Data().write(to: dev.appendingPathComponent("i2c-1"))
        try Data().write(to: dev.appendingPathComponent("ttyACM0"))
        try FileManager.default.createSymbolicLink(
            atPath: dev.appendingPathComponent("serial/by-id/usb-Arduino_Uno-if00").path, withDestinationPath: "../../ttyACM0")

        let result = try await runToCompletion(["probe", "--no-scan", "--dev", dev.path, "--sys", sys.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("GPIO chips (libgpiod "))
        #expect(text.contains("i2c-1 [bcm2835 (i2c@7e804000)], \(dev.path)/i2c-1"))
        #expect(text.contains("board file: { kind: i2c, bus: 1 }"))
        #expect(text.contains("not scanned (--no-scan)"))
        #expect(text.contains("pwmchip0 2 channels"))
        #expect(text.contains("board file: { kind: pwmchip, chip: pwmchip0, channels: 2 }"))
        #expect(text.contains("\(dev.path)/serial/by-id/usb-Arduino_Uno-if00 -> \(dev.path)/ttyACM0"))
    }
}

