import IOToyCore
import IOToyDispatcher
import IOToyHAL
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyBoard

/// Slews, ramps and pulses through the dispatcher on simulated hardware: the time is a manual
/// clock, each step is awaited on the change feed, nothing sleeps.
@Suite struct TimedActuatorTests {
    static let rover = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }
          i2c1: { kind: i2c, bus: 1 }
          hat: { kind: pca9685, i2c: i2c1, address: 0x60, frequency_hz: 1000 }
        resources:
          base:
            kind: differential_drive
            left: { pwm: hat/0, dir: hat/1, ramp_per_s: 2 }
            right: { in1: hat/2, in2: hat/3, invert: true }
            failsafe_ms: 500
          tail: { kind: servo, pwm: pwm/0, max_speed_dps: 90, initial: 90 }
          led: { kind: pwm_out, pwm: pwm/1, invert: true }
          horn: { kind: gpio_out, line: gpio/GPIO17 }
        """

    static func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }
    static func value(_ value: JSONValue) -> RequestInput { .json(.object(["value": value])) }

    /// The number a GET of `path` answers (JSON does not keep 180 and 180.0 apart).
    static func number(_ path: String, of rover: SimulatedTree) async throws -> Double? {
        try await rover.value(path)?.doubleValue
    }

    /// The next event of `kind` at `path`.
    static func next(_ kind: ChangeEvent.Kind, at path: String, in events: inout AsyncStream<ChangeEvent>.Iterator) async -> ChangeEvent? {
        while let event = await events.next() {
            if event.kind == kind, event.path == Self.path(path) { return event }
        }
        return nil
    }

    @Test func aServoSlewsAtItsSpeedAndReportsWhereItIs() async throws {
        let rover = try await SimulatedTree(yaml: Self.rover)
        var events = rover.dispatcher.changes.subscribe().makeAsyncIterator()
        let channel = try #require(rover.hardware.pwm.chip("pwmchip0"))
        #expect(channel.state(of: 0)?.dutyNs == 1_500_000)
        _ = try await rover.dispatcher.put(Self.path("/tail/angle"), Self.value(.double(180)))
        #expect(try await Self.number("/tail/angle", of: rover) == 180)
        #expect(try await Self.number("/tail/position", of: rover) == 90)
        #expect(channel.state(of: 0)?.dutyNs == 1_500_000)           // nothing moved yet
        await rover.clock.waitForSleepers(1)                          // the slew's first step is timed
        rover.clock.advance(by: .milliseconds(500))                   // 90 °/s × 0.5 s
        #expect(await Self.next(.sample, at: "/tail/position", in: &events)?.value?.doubleValue == 135)
        #expect(channel.state(of: 0)?.dutyNs == 2_000_000)
        await rover.clock.waitForSleepers(1)
        rover.clock.advance(by: .seconds(1))                          // would pass the target: it stops there
        #expect(await Self.next(.sample, at: "/tail/position", in: &events)?.value?.doubleValue == 180)
        #expect(channel.state(of: 0)?.dutyNs == 2_500_000)
        #expect(try await Self.number("/tail/position", of: rover) == 180)
        await rover.stop()
    }

    @Test func aPulseEndsOnTimeWithoutHoldingAnything() async throws {
        let rover = try await SimulatedTree(yaml: Self.rover)
        var events = rover.dispatcher.changes.subscribe().makeAsyncIterator()
        let gpio = try #require(rover.hardware.gpio.chip(.label("pinctrl-bcm2711")))
        await #expect(throws: IOToyError.self) { try await rover.dispatcher.post(Self.path("/horn/pulse"), .json(.array([.int(0)]))) }
        #expect(gpio.physicalLevel(line: .name("GPIO17")) == false)
        _ = try await rover.dispatcher.post(Self.path("/horn/pulse"), .json(.array([.int(100)])))
        #expect(gpio.physicalLevel(line: .name("GPIO17")) == true)
        await rover.clock.waitForSleepers(1)
        rover.clock.advance(by: .milliseconds(99))
        // Other requests are answered meanwhile, and the horn is still on.
        #expect(try await rover.value("/horn") == .bool(true))
        rover.clock.advance(by: .milliseconds(1))
        #expect(await Self.next(.sample, at: "/horn", in: &events)?.value == .bool(false))
        #expect(gpio.physicalLevel(line: .name("GPIO17")) == false)
        await rover.stop()
    }

    @Test func theBaseMixesRampsAndCoastsAtItsFailsafe() async throws {
        let rover = try await SimulatedTree(yaml: Self.rover)
        var events = rover.dispatcher.changes.subscribe().makeAsyncIterator()
        let hat = try #require(rover.hardware.i2c.bus(1).device(at: 0x60) as? SimPCA9685)
        func duty(_ channel: Int) -> Double { (hat.pulseWidthNs(channel: channel) / hat.periodNs * 100).rounded() / 100 }
        // Out of range: refused, nothing driven.
        await #expect(throws: IOToyError.self) {
            try await rover.dispatcher.post(Self.path("/base/drive"), .json(.array([.double(1.5), .double(0)])))
        }
        _ = try await rover.dispatcher.post(Self.path("/base/drive"), .json(.array([.double(1), .double(0)])))
        // The right motor is inverted and does not ramp: full reverse on IN2 at once.
        #expect(duty(2) == 0 && duty(3) == 1)
        // The left ramps at 2/s from 0: nothing yet, half after 250 ms, its direction forward.
        #expect(duty(0) == 0)
        #expect(try await Self.number("/base/left/speed", of: rover) == 1)
        await rover.clock.waitForSleepers(2)                         // the ramp's step and the failsafe
        rover.clock.advance(by: .milliseconds(250))
        #expect(await Self.next(.sample, at: "/base/left/applied_speed", in: &events)?.value?.doubleValue == 0.5)
        #expect(duty(0) == 0.5 && duty(1) == 1)
        // No heartbeat: at 500 ms both motors coast, the ramp ends where it was.
        await rover.clock.waitForSleepers(2)
        rover.clock.advance(by: .milliseconds(250))
        #expect(await Self.next(.failsafe, at: "/base", in: &events) != nil)
        #expect(duty(0) == 0 && duty(2) == 0 && duty(3) == 0)
        #expect(try await Self.number("/base/left/applied_speed", of: rover) == 0)
        #expect(try await Self.number("/base/right/speed", of: rover) == 0)
        await rover.stop()
    }

    @Test func aPWMOutputIsInvertedAtThePinAndSafeAtZero() async throws {
        let rover = try await SimulatedTree(yaml: Self.rover)
        let chip = try #require(rover.hardware.pwm.chip("pwmchip0"))
        #expect(chip.state(of: 1) == PWMState(periodNs: 1_000_000, dutyNs: 1_000_000, enabled: true))   // 0 inverted
        _ = try await rover.dispatcher.put(Self.path("/led"), Self.value(.double(0.25)))
        #expect(chip.state(of: 1)?.dutyNs == 750_000)
        await #expect(throws: IOToyError.self) { try await rover.dispatcher.put(Self.path("/led"), Self.value(.double(1.2))) }
        #expect(chip.state(of: 1)?.dutyNs == 750_000)
        _ = await rover.dispatcher.emergencyStop()
        #expect(chip.state(of: 1)?.dutyNs == 1_000_000)
        #expect(try await Self.number("/led", of: rover) == 0)
        await rover.stop()
    }
}
