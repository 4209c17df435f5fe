import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDispatcher

@Suite struct SupervisionTests {
    @Test func sensorsAreServedFromTheCacheUntilFreshIsAsked() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        defer { task.cancel() }
        let measured = rig.sensor.measurementCount
        let cached = try JSONValue.decoding(try await rig.dispatcher.get(Rig.temperature))
        #expect(cached["value"] == .double(25.08))
        #expect(cached["timestamp"] == .int(1_700_000_000))
        _ = try await rig.dispatcher.get(Rig.temperature)
        #expect(rig.sensor.measurementCount == measured)
        rig.sensor.setReadings(.init(temperature: 530_000, pressure: 415_148, humidity: 30_000))
        let fresh = try JSONValue.decoding(try await rig.dispatcher.get(Rig.temperature, fresh: true))
        #expect(rig.sensor.measurementCount == measured + 1)
        #expect(fresh["value"] != .double(25.08))
    }

    @Test func samplingFollowsTheClockAndFeedsTheChangeFeed() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        let measured = rig.sensor.measurementCount
        await rig.clock.waitForSleepers(1)
        rig.clock.advance(by: .seconds(1))
        var sampled: [ResourcePath] = []
        while sampled.count < 3, let event = await events.next(.sample) { sampled.append(event.path) }
        #expect(Set(sampled.map(\.description)) == ["/climate/temperature", "/climate/pressure", "/climate/humidity"])
        #expect(rig.sensor.measurementCount == measured + 1)
    }

    @Test func aFailingSensorAnswers503AndRecoversWithBackoff() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: 121)
        await #expect { try await rig.dispatcher.get(Rig.temperature, fresh: true) } throws: {
            guard let error = $0 as? IOToyError else { return false }
            return error.status == 503 && error.message.contains("i2c-1 address 0x76") && error.message.contains("121")
        }
        let fault = await events.next(.fault)
        #expect(fault?.path.description == "/climate")
        await #expect { try await rig.dispatcher.get(Rig.temperature) } throws: { ($0 as? IOToyError)?.status == 503 }
        // The rest of the tree keeps serving.
        #expect(try JSONValue.decoding(try await rig.dispatcher.put(Rig.lift, .text("30")))["value"]?.doubleValue == 30)

        await rig.clock.waitForSleepers(1)       // the supervisor waits out its back-off
        rig.clock.advance(by: .seconds(1))       // still faulted: the restart fails, back-off doubles
        await rig.clock.waitForSleepers(1)
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: nil)
        rig.clock.advance(by: .seconds(2))
        #expect(await events.next(.recovered)?.path.description == "/climate")
        #expect(try JSONValue.decoding(try await rig.dispatcher.get(Rig.temperature))["value"] == .double(25.08))
    }

    @Test func edgesReachTheFeedWithTheHardwareTimestamp() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        #expect(try JSONValue.decoding(try await rig.dispatcher.get(Rig.bumper))["value"] == .bool(false))
        try rig.chip.setExternalLevel(false, line: .name("GPIO27"))   // pressed
        let edge = await events.next(.edge)
        #expect(edge?.path == Rig.bumper)
        #expect(edge?.value == .bool(true))
        #expect(edge?.detail == "rising")
        #expect(edge?.hardwareTimestampNs == 42_000)
        #expect(try JSONValue.decoding(try await rig.dispatcher.get(Rig.bumper))["value"] == .bool(true))
    }

    @Test func setsAndCallsGoThroughTheFeed() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        _ = try await rig.dispatcher.put(Rig.eyes, .text("True"))
        _ = try await rig.dispatcher.post(Rig.toggle, .empty)
        var seen: [ChangeEvent] = []
        while seen.count < 2, let event = await events.next(.set, .call) { seen.append(event) }
        #expect(seen.map(\.kind) == [.set, .call])
        #expect(seen.map(\.value) == [.bool(true), .bool(false)])
        #expect(seen[1].sequence > seen[0].sequence)
    }

    @Test func shutdownLeavesActuatorsSafeAndReleased() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        _ = try await rig.dispatcher.put(Rig.eyes, .text("True"))
        task.cancel()
        await task.value
        #expect(rig.pwm.state(of: 0)?.enabled == false)
        #expect(rig.chip.consumer(line: .name("GPIO17")) == nil)
        #expect(rig.chip.consumer(line: .name("GPIO27")) == nil)
        await #expect { try await rig.dispatcher.put(Rig.lift, .text("45")) } throws: { ($0 as? IOToyError)?.status == 503 }
    }
}
