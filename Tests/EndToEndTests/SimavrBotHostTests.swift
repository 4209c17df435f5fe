import Foundation
import HTTPTypes
import IOToyCore
import Testing

/// The real Uno ELF of the BotHost example running in simavr, its UART on a pty, driven by
/// the real iotoyd; the runner logs every pulse on the wheel pins D9 and D10.
/// Needs `make -C Firmware` (avr-gcc) and `make -C Firmware sim` (libsimavr): CI runs it after
/// the firmware suite with IOTOY_REQUIRE_SIMAVR=1, which turns a missing build into a failure.
@Suite(.serialized, .enabled(if: SimavrBuild.runnable)) struct SimavrBotHostTests {
    /// `<pin> <width_us>` lines, in order.
    static func pulses(_ log: URL) throws -> [(pin: Int, widthUs: Int)] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let pin = Int(fields[0]), let width = Int(fields[1]) else { return nil }
            return (pin, width)
        }
    }

    @Test func forwardDrivesTheWheelPinsOfTheRealFirmware() async throws {
        try #require(SimavrBuild.built, "build the AVR firmware and the simavr runner first: make -C Firmware all-targets")
        let scratch = try FirmwareProcess.scratchDirectory()
        let link = scratch.appendingPathComponent("bothost.pty").path
        let log = scratch.appendingPathComponent("pulses")
        let uno = try FirmwareProcess(
            binary: SimavrBuild.runner, arguments: ["--pty-link", link, "--pulse-log", log.path, "--pins", "9,10", SimavrBuild.elf.path], link: link)
        defer { uno.stop() }
        let daemon = try await Daemon.serial(link)
        defer { _ = daemon.stop() }

        let root = try await daemon.request(.get, "/")
        #expect(root.json?["value"] == .array(
            ["drive_forward_time_ms", "turn_time_ms", "speed", "forward", "backward", "left", "right", "stop", "devinfo"].map(JSONValue.string)))
        let forward = try await daemon.request(.get, "/forward")
        #expect(forward.json?["value"]?["spec"]?["args"] == .array([.array([.string("ms"), .string("int")])]))

        let started = ContinuousClock.now
        let moved = try await daemon.request(.post, "/forward", body: "500")
        let elapsed = started.duration(to: .now)
        #expect(moved.status == 200)
        #expect(moved.json?["type"] == .string(TypeURI.null))
        #expect(elapsed >= .milliseconds(450), "the firmware answers when the move ends")

        let pulses = try Self.pulses(log)
        guard let firstMove = pulses.firstIndex(where: { abs($0.widthUs - 1500) > 3 }) else {
            Issue.record("no forward pulses in \(pulses.count) logged")
            return
        }
        let before = pulses[..<firstMove]
        #expect(before.count >= 4, "the wheels stood still at 1500 µs before the move")
        let during = pulses[firstMove...]
        let left = during.filter { $0.pin == 9 && abs($0.widthUs - 2000) <= 3 }
        let right = during.filter { $0.pin == 10 && abs($0.widthUs - 1000) <= 3 }
        #expect(left.count >= 15, "D9 at 2000 µs for the 500 ms move (20 ms frames): \(left.count)")
        #expect(right.count >= 15, "D10 at 1000 µs, mirrored: \(right.count)")
        #expect(left.count <= 28 && right.count <= 28, "and only for 500 ms (20 ms frames): the wheels stopped")

        let limited = try await daemon.request(.put, "/speed", body: "150")
        #expect(limited.status == 409, "the firmware's own limit (0-100) comes back as its refusal, 409")
    }
}

/// Where the AVR build and the simavr runner are, and whether this run must use them.
enum SimavrBuild {
    static let firmware = Daemon.packageRoot.appendingPathComponent("Firmware/build")
    static let runner = firmware.appendingPathComponent("sim/runner")
    static let elf = firmware.appendingPathComponent("avr/BotHost.elf")
    static let required = ProcessInfo.processInfo.environment["IOTOY_REQUIRE_SIMAVR"] == "1"
    static var built: Bool {
        FileManager.default.isExecutableFile(atPath: runner.path) && FileManager.default.fileExists(atPath: elf.path)
    }
    static var runnable: Bool { built || required }
}
