import IOToyCore
import IOToySim
import Testing
@testable import IOToyDispatcher

/// Failsafe deadlines, heartbeats and the emergency stop, in virtual time on the rig.
@Suite struct SafetyTests {
    /// Whether the servo's PWM channel is pulsing, and at what duty.
    func servo(_ rig: Rig) -> (enabled: Bool, dutyNs: UInt64)? {
        rig.pwm.state(of: 0).map { ($0.enabled, $0.dutyNs) }
    }

    @Test func theSafeStateLandsAtTheDeadlineNotBefore() async throws {
        let rig = try Rig(failsafe: .milliseconds(1000))
        var (task, events) = await rig.start()
        defer { task.cancel() }
        await rig.clock.waitForSleepers(1)                      // the BME280's sampler
        _ = try await rig.dispatcher.put(Rig.lift, .text("120"))
        #expect(servo(rig)?.enabled == true)
        await rig.clock.waitForSleepers(2)                      // and the lift's deadline
        rig.clock.advance(by: .milliseconds(999))
        #expect(servo(rig)?.enabled == true, "not before the deadline")
        rig.clock.advance(by: .milliseconds(1))
        let failsafe = await events.next(.failsafe)
        #expect(failsafe?.path == Rig.lift)
        #expect(failsafe?.detail == "no command or heartbeat within 1000 ms")
        #expect(servo(rig)?.enabled == false, "limp at 1000 ms")
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == false, "the LED was never commanded: no deadline ran")

        // Not a latch: the next command moves it again.
        _ = try await rig.dispatcher.put(Rig.lift, .text("100"))
        #expect(servo(rig)?.enabled == true)
    }

    @Test func commandsAndHeartbeatsRenewTheDeadline() async throws {
        let rig = try Rig(failsafe: .milliseconds(1000))
        var (task, events) = await rig.start()
        defer { task.cancel() }
        await rig.clock.waitForSleepers(1)
        #expect(rig.dispatcher.heartbeat().isEmpty, "nothing commanded, nothing running")
        _ = try await rig.dispatcher.put(Rig.lift, .text("120"))
        await rig.clock.waitForSleepers(2)
        rig.clock.advance(by: .milliseconds(600))
        _ = try await rig.dispatcher.put(Rig.lift, .text("130"))   // renews to 1600
        rig.clock.advance(by: .milliseconds(600))
        #expect(servo(rig)?.enabled == true, "1200 ms: renewed by the second command")
        #expect(rig.dispatcher.heartbeat() == [Rig.lift])           // renews to 2200
        rig.clock.advance(by: .milliseconds(999))
        #expect(servo(rig)?.enabled == true, "2199 ms: renewed by the heartbeat")
        rig.clock.advance(by: .milliseconds(1))
        #expect(await events.next(.failsafe)?.path == Rig.lift)
        #expect(servo(rig)?.enabled == false)
    }

    @Test func aCallRenewsItsActuatorsDeadlineAndTheSafeLevelIsDriven() async throws {
        let rig = try Rig(failsafe: .milliseconds(500))
        var (task, events) = await rig.start()
        defer { task.cancel() }
        await rig.clock.waitForSleepers(1)
        _ = try await rig.dispatcher.post(Rig.toggle, .empty)          // eyes on
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == true)
        await rig.clock.waitForSleepers(2)
        rig.clock.advance(by: .milliseconds(500))
        #expect(await events.next(.failsafe)?.path == Rig.eyes)
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == false, "gpio_out's safe level (false)")
    }

    @Test func theEmergencyStopLatchesUntilResume() async throws {
        let rig = try Rig()
        var (task, events) = await rig.start()
        defer { task.cancel() }
        _ = try await rig.dispatcher.put(Rig.lift, .text("120"))
        _ = try await rig.dispatcher.post(Rig.toggle, .empty)
        let results = await rig.dispatcher.emergencyStop()
        #expect(Set(results.map(\.path)) == [Rig.lift, Rig.eyes], "every actuator, and only actuators")
        #expect(results.allSatisfy { $0.error == nil })
        #expect(await events.next(.failsafe)?.detail == "emergency stop")
        #expect(servo(rig)?.enabled == false)
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == false)
        let refused = await #expect(throws: IOToyError.self) { try await rig.dispatcher.put(Rig.lift, .text("90")) }
        #expect(refused?.status == 409)
        #expect(refused?.code == "emergency_stop")
        await #expect(throws: IOToyError.self) { try await rig.dispatcher.post(Rig.toggle, .empty) }
        #expect(servo(rig)?.enabled == false, "nothing reached the hardware")
        _ = try await rig.dispatcher.get(Rig.lift)                     // reads still work
        rig.dispatcher.resume()
        _ = try await rig.dispatcher.put(Rig.lift, .text("90"))
        #expect(servo(rig)?.enabled == true)
    }
}
