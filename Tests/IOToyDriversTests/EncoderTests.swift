import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

/// The encoder component on simulated lines: edges injected with chosen kernel timestamps,
/// decoded in timestamp order across the two line requests, counted, timed and reset.
@Suite struct EncoderTests {
    struct Rig {
        let chip = SimGPIOChip(name: "gpiochip0", label: "sim", lineNames: ["ENC_A", "ENC_B"])
        let encoder: Encoder

        init(invert: Bool = false, countsPerRevolution: Double? = nil, window: Duration = .milliseconds(200)) throws {
            var configuration = Encoder.Configuration(chip: .label("sim"), a: .name("ENC_A"), b: .name("ENC_B"))
            configuration.invert = invert
            configuration.countsPerRevolution = countsPerRevolution
            configuration.rateWindow = window
            encoder = Encoder(gpio: SimGPIOProvider(chips: [chip]), configuration: configuration, consumer: "iotoyd:test")
        }

        /// `cycles` full forward cycles of A and B (reverse when negative), an edge every
        /// `stepNs` from `startNs`: A rises, B rises, A falls, B falls.
        func turn(cycles: Int, from startNs: UInt64, stepNs: UInt64) throws {
            let forward: [(String, Bool)] = [("ENC_A", true), ("ENC_B", true), ("ENC_A", false), ("ENC_B", false)]
            let reverse: [(String, Bool)] = [("ENC_B", true), ("ENC_A", true), ("ENC_B", false), ("ENC_A", false)]
            let pattern = cycles >= 0 ? forward : reverse
            for index in 0..<(abs(cycles) * 4) {
                let (line, level) = pattern[index % 4]
                try chip.setExternalLevel(level, line: .name(line), timestampNs: startNs + UInt64(index) * stepNs)
            }
        }

        /// Waits until the values stop changing; the last value of each path.
        func drain() throws -> [[String]: Value] {
            var latest: [[String]: Value] = [:]
            for event in try encoder.waitForEvents(timeout: .milliseconds(2)) { latest[event.path] = event.value }
            return latest
        }
    }

    /// Ten forward cycles, one edge every 250 µs (4000 counts/s): the edges of A and B arrive
    /// on separate requests, in two batches, and are decoded in kernel-timestamp order.
    @Test func countsFourPerCycleAtTheEdgesRate() throws {
        let rig = try Rig(countsPerRevolution: 20)
        try rig.encoder.start()
        #expect(rig.chip.consumer(line: .name("ENC_A")) == "iotoyd:test")
        #expect(rig.chip.consumer(line: .name("ENC_B")) == "iotoyd:test")
        try rig.turn(cycles: 10, from: 1_000_000_000, stepNs: 250_000)
        let values = try rig.drain()
        #expect(values[["count"]] == .int(40))
        #expect(values[["rate"]] == .float(4000))
        #expect(values[["revolutions"]] == .float(2))               // 40 / 20
        #expect(values[["rpm"]] == .float(12_000))                  // 4000 / 20 × 60
        #expect(try rig.encoder.read(["count"]) == .int(40))
        #expect(try rig.encoder.read(["errors"]) == .int(0))
        // Back by three cycles.
        try rig.turn(cycles: -3, from: 1_010_000_000, stepNs: 250_000)
        #expect(try rig.drain()[["count"]] == .int(28))
    }

    @Test func invertCountsTheOtherWay() throws {
        let rig = try Rig(invert: true)
        try rig.encoder.start()
        try rig.turn(cycles: 2, from: 5_000, stepNs: 1_000_000)     // 1000 counts/s
        let values = try rig.drain()
        #expect(values[["count"]] == .int(-8))
        #expect(values[["rate"]] == .float(-1000))
        #expect(values[["revolutions"]] == nil)                     // no counts_per_rev
        #expect(rig.encoder.endpoints.map(\.path) == [["count"], ["rate"], ["errors"]])
    }

    /// Only 0 may be written to count: anything else is out of range (422) and changes nothing.
    @Test func countIsResetByZeroOnly() throws {
        let rig = try Rig(countsPerRevolution: 4)
        try rig.encoder.start()
        try rig.turn(cycles: 1, from: 0, stepNs: 1_000_000)
        _ = try rig.drain()
        #expect { try rig.encoder.write(["count"], value: .int(5)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try rig.encoder.write(["rate"], value: .float(0)) } throws: { ($0 as? ComponentError)?.kind == .readOnly }
        #expect(try rig.encoder.read(["count"]) == .int(4))
        try rig.encoder.write(["count"], value: .int(0))
        #expect(try rig.encoder.read(["count"]) == .int(0))
        // The next wait publishes what the reset changed: revolutions and the rate too.
        let values = try rig.drain()
        #expect(values[["revolutions"]] == .float(0))
        #expect(values[["rate"]] == .float(0))
        try rig.turn(cycles: 1, from: 10_000_000, stepNs: 1_000_000)
        #expect(try rig.drain()[["count"]] == .int(4))
    }

    /// With no edge for the rate window, a wait's quiet time brings the rate to 0.
    @Test func theRateFallsToZeroWhenTheEdgesStop() throws {
        let rig = try Rig(window: .milliseconds(20))
        try rig.encoder.start()
        try rig.turn(cycles: 1, from: 0, stepNs: 1_000_000)
        #expect(try rig.drain()[["rate"]] == .float(1000))
        #expect(try rig.encoder.waitForEvents(timeout: .milliseconds(10)).isEmpty)   // 10 ms quiet: still 1000
        #expect(try rig.encoder.waitForEvents(timeout: .milliseconds(10)) == [ComponentEvent(path: ["rate"], value: .float(0))])
        #expect(try rig.encoder.read(["count"]) == .int(4))
    }

    @Test func aLineThatCannotBeHadFailsTheStartAndHoldsNothing() throws {
        let rig = try Rig()
        _ = try rig.chip.requestLine(.name("ENC_B"), settings: LineSettings(direction: .input), consumer: "other")
        #expect { try rig.encoder.start() } throws: { ($0 as? HardwareError)?.kind == .busy }
        #expect(rig.chip.consumer(line: .name("ENC_A")) == nil)
        #expect(throws: HardwareError.self) { try rig.encoder.waitForEvents(timeout: .zero) }
    }
}
