import Foundation
import IOToyCore
import Testing

/// The `iio` and `hwmon` kinds through the real binary: `iotoyd probe` lists a fake machine's
/// kernel sensors with their channels, values and board-file lines, and a board with both
/// kinds is served over HTTP in simulation, values in SI units with their units. (The same
/// kinds on the kernel's own drivers: Tests/kernel/sensors-e2e.sh.)
@Suite struct KernelSensorTests {
    @Test func probeListsKernelSensorsWithTheirChannelsAndBoardFileLines() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let dev = root.appendingPathComponent("dev"), sys = root.appendingPathComponent("sys")
        func file(_ relative: String, _ text: String) throws {
            let url = sys.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        func link(_ relative: String, _ target: String) throws {
            let url = sys.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        }
        try FileManager.default.createDirectory(at: dev, withIntermediateDirectories: true)
        let bme = "devices/platform/soc/fe804000.i2c/i2c-1/1-0077/iio:device0"
        try file("\(bme)/name", "bme280")
        try file("\(bme)/in_temp_input", "25080")
        try file("\(bme)/in_pressure_input", "100.653250000")
        try file("\(bme)/in_humidityrelative_input", "54997")
        try link("bus/iio/devices/iio:device0", "../../../\(bme)")
        let lm75 = "devices/platform/soc/fe804000.i2c/i2c-1/1-0048/hwmon/hwmon1"
        try file("\(lm75)/name", "lm75")
        try file("\(lm75)/temp1_input", "25500")
        try link("class/hwmon/hwmon1", "../../\(lm75)")
        let soc = "devices/virtual/thermal/thermal_zone0/hwmon0"
        try file("\(soc)/name", "cpu_thermal")
        try file("\(soc)/temp1_input", "oops")
        try link("class/hwmon/hwmon0", "../../\(soc)")

        let result = try await runToCompletion(["probe", "--no-scan", "--dev", dev.path, "--sys", sys.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("IIO sensors (kernel drivers)\n  iio:device0 bme280 on i2c-1 address 0x77\n"), "\(text)")
        #expect(text.contains("    board file: { kind: iio, device: bme280, i2c: i2c1, address: 0x77 }   (with i2c1: { kind: i2c, bus: 1 } under hardware)"))
        #expect(text.contains("    humidity            54.997 %RH        in_humidityrelative_input"), "\(text)")
        #expect(text.contains("    pressure            1006.5325 hPa     in_pressure_input"))
        #expect(text.contains("    temperature         25.08 degC        in_temp_input"))
        #expect(text.contains("hwmon sensors (kernel drivers)\n  hwmon0 cpu_thermal\n    board file: { kind: hwmon, device: cpu_thermal }"))
        #expect(text.contains("    temperature1        unreadable        temp1_input (hwmon0 (cpu_thermal): read temp1_input failed (io): 'oops' is not a number)"), "\(text)")
        #expect(text.contains("  hwmon1 lm75 on i2c-1 address 0x48\n    board file: { kind: hwmon, device: lm75, i2c: i2c1, address: 0x48 }"))
        #expect(text.contains("    temperature1        25.5 degC         temp1_input"))
    }

    @Test func simulatedKernelSensorsAreServedOverHTTP() async throws {
        let daemon = try await Daemon.simulating("""
            device: cat
            hardware:
              i2c1: { kind: i2c, bus: 1 }
            resources:
              climate: { kind: bme280, i2c: i2c1, address: 0x76 }
              inside:  { kind: iio, device: bme280, i2c: i2c1, address: 0x77 }
              cpu:     { kind: hwmon, device: lm75, channels: { temperature1: temperature } }
            """)
        defer { _ = daemon.stop() }
        var inside = try await daemon.request(.get, "/inside/temperature")
        for _ in 0..<500 where inside.status == 503 { inside = try await daemon.request(.get, "/inside/temperature") }
        #expect(inside.status == 200)
        #expect(inside.json?["value"]?.doubleValue == 25.08)
        #expect(inside.json?["constraints"]?["unit"] == .string("degC"))
        // The kernel's reading and the userspace driver's, on the same simulated chip values.
        let climate = try await daemon.request(.get, "/climate/temperature")
        #expect(climate.json?["value"] == inside.json?["value"])
        let listing = try await daemon.request(.get, "/inside")
        #expect(listing.json?["value"] == .array([.string("humidity"), .string("pressure"), .string("temperature")]))
        let cpu = try await daemon.request(.get, "/cpu/temperature")
        #expect(cpu.json?["value"]?.doubleValue == 25.5)
        #expect(try await daemon.request(.put, "/cpu/temperature", body: "20").status == 405)
        let sim = try await daemon.request(.get, "/_sim")
        #expect(sim.json?["kernel_sensors"]?["hwmon0"]?["name"] == .string("lm75"))
    }
}
