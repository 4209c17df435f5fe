import IOToyCore
import IOToyDispatcher
import IOToyHAL
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyBoard

/// hc_sr04 and encoder loaded from a board, fitted to simulated lines and served by the
/// dispatcher on a manual clock: pings at the poll interval answer the model's distance or
/// null with a reason (200, not 503); the encoder's edges reach the cache and the feed;
/// count resets by PUT 0 only.
@Suite struct EdgeSensorTreeTests {
    static let board = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
        resources:
          range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, poll_ms: 100 }
          wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6, counts_per_rev: 8, rate_window_ms: 20 }
        """

    struct Rover {
        let tree: SimulatedTree
        let chip: SimGPIOChip
        let ranger: SimHCSR04
    }

    /// The board on simulated hardware with an HC-SR04 model on its lines, 100 cm away.
    static func rover() async throws -> Rover {
        let board = try BoardLoader(registry: .standard).parse(yaml: board, file: "rover.yaml")
        let hardware = board.simulatedHardware()
        let chip = try #require(hardware.gpio.chip(.label("pinctrl-bcm2711")))
        // The simulation fitter attached the ranger's line-level model to the board's lines.
        let ranger = try #require(hardware.gpio.models(of: SimHCSR04.self).first)
        ranger.distanceCm = 100
        return Rover(tree: try await SimulatedTree(board: board, hardware: hardware), chip: chip, ranger: ranger)
    }

    static func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }

    static func next(at path: String, in events: inout AsyncStream<ChangeEvent>.Iterator,
                     where wanted: (JSONValue?) -> Bool = { _ in true }) async -> ChangeEvent? {
        while let event = await events.next() {
            if event.kind == .sample, event.path == Self.path(path), wanted(event.value) { return event }
        }
        return nil
    }

    @Test func theRangerPingsAtItsPollIntervalAndAMissedEchoIsNull() async throws {
        let rover = try await Self.rover()
        var events = rover.tree.dispatcher.changes.subscribe().makeAsyncIterator()
        // The first ping primed the cache at start.
        #expect(abs((try await rover.tree.value("/range/distance")?.doubleValue ?? 0) - 100) < 1e-4)
        #expect(rover.ranger.triggerPulses == 1)
        rover.ranger.distanceCm = 42.5
        await rover.tree.clock.waitForSleepers(1)
        rover.tree.clock.advance(by: .milliseconds(99))
        #expect(rover.ranger.triggerPulses == 1)                      // not before poll_ms
        rover.tree.clock.advance(by: .milliseconds(1))
        let sample = await Self.next(at: "/range/distance", in: &events)
        #expect(abs((sample?.value?.doubleValue ?? 0) - 42.5) < 1e-4)
        // Nothing answers: null and a reason, served with 200 like any value.
        rover.ranger.distanceCm = nil
        await rover.tree.clock.waitForSleepers(1)
        rover.tree.clock.advance(by: .milliseconds(100))
        var seen: [String: JSONValue] = [:]
        while seen.count < 3, let event = await events.next() {
            if event.kind == .sample, ["/range/distance", "/range/echo_us", "/range/reason"].contains(event.path.description),
               event.value == .null || (event.value?.stringValue).map({ $0 != "echo received" }) == true {
                seen[event.path.description] = event.value
            }
        }
        #expect(seen["/range/reason"] == .string("no echo: the echo line did not rise within 23.3 ms of the trigger"))
        #expect(seen["/range/distance"] == .null && seen["/range/echo_us"] == .null)
        #expect(try await rover.tree.value("/range/distance") == .null)
        // The speed of sound is set at run time, within its range.
        await #expect(throws: IOToyError.self) {
            try await rover.tree.dispatcher.put(Self.path("/range/speed_of_sound"), .json(.object(["value": .double(100)])))
        }
        _ = try await rover.tree.dispatcher.put(Self.path("/range/speed_of_sound"), .json(.object(["value": .double(331.3)])))
        #expect(try await rover.tree.value("/range/speed_of_sound")?.doubleValue == 331.3)
        await rover.tree.stop()
        #expect(rover.chip.consumer(line: .name("GPIO23")) == nil && rover.chip.consumer(line: .name("GPIO24")) == nil)
    }

    @Test(.timeLimit(.minutes(1))) func theEncodersEdgesReachTheCacheAndCountResetsByZeroOnly() async throws {
        let rover = try await Self.rover()
        var events = rover.tree.dispatcher.changes.subscribe().makeAsyncIterator()
        // The rate and rpm as they were published: a read after the count could already see the
        // rate fall back to 0 (the quiet waits run in real time, and a loaded machine is slow).
        var rates = rover.tree.dispatcher.changes.subscribe().makeAsyncIterator()
        var rpms = rover.tree.dispatcher.changes.subscribe().makeAsyncIterator()
        var turns = rover.tree.dispatcher.changes.subscribe().makeAsyncIterator()
        #expect(try await rover.tree.value("/wheel/count") == .int(0))
        // Two forward cycles, an edge every millisecond.
        let pattern: [(String, Bool)] = [("GPIO5", true), ("GPIO6", true), ("GPIO5", false), ("GPIO6", false)]
        for index in 0..<8 {
            try rover.chip.setExternalLevel(pattern[index % 4].1, line: .name(pattern[index % 4].0), timestampNs: 7_000_000 + UInt64(index) * 1_000_000)
        }
        #expect(await Self.next(at: "/wheel/count", in: &events) { $0 == .int(8) } != nil)
        #expect(await Self.next(at: "/wheel/revolutions", in: &turns) { $0?.doubleValue == 1 } != nil)
        #expect(await Self.next(at: "/wheel/rate", in: &rates) { $0?.doubleValue == 1000 } != nil)
        #expect(await Self.next(at: "/wheel/rpm", in: &rpms) { $0?.doubleValue == 7500 } != nil)   // 1000 / 8 × 60
        // The edges stop: after the 20 ms window of quiet waits the rate is 0.
        #expect(await Self.next(at: "/wheel/rate", in: &events) { $0?.doubleValue == 0 } != nil)
        // Only 0 may be written.
        await #expect(throws: IOToyError.self) {
            try await rover.tree.dispatcher.put(Self.path("/wheel/count"), .json(.object(["value": .int(3)])))
        }
        #expect(try await rover.tree.value("/wheel/count") == .int(8))
        _ = try await rover.tree.dispatcher.put(Self.path("/wheel/count"), .json(.object(["value": .int(0)])))
        #expect(try await rover.tree.value("/wheel/count") == .int(0))
        #expect(await Self.next(at: "/wheel/revolutions", in: &events) { $0?.doubleValue == 0 } != nil)
        await rover.tree.stop()
    }
}
