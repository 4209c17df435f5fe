import IOToyCore
import IOToySim
import MetricsTestKit
import Testing
@testable import IOToyDispatcher

/// What the dispatcher counts, on the simulated rig in virtual time: operations, faults by
/// kind and recoveries, samples, failsafe trips, owner operation times, dropped stream events.
@Suite struct DispatcherMetricsTests {
    func count(_ metrics: TestMetrics, _ name: String, _ path: String, _ extra: [(String, String)] = []) throws -> Int64 {
        try metrics.expectCounter(name, [("path", path)] + extra).totalValue
    }

    @Test func aFaultIsCountedByKindOnceAndItsRecoveryToo() async throws {
        let metrics = TestMetrics()
        let rig = try Rig(metrics: DispatcherMetrics(factory: metrics))
        var (task, events) = await rig.start()
        defer { task.cancel() }
        let samplesAtStart = try count(metrics, DispatcherMetrics.Name.samples, "/climate")
        #expect(samplesAtStart >= 1, "the first sample fills the cache")
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: 121)
        await #expect(throws: IOToyError.self) { try await rig.dispatcher.get(Rig.temperature, fresh: true) }
        _ = await events.next(.fault)
        // Refused while faulted: not another hardware operation, not another fault.
        await #expect(throws: IOToyError.self) { try await rig.dispatcher.get(Rig.temperature, fresh: true) }
        #expect(try count(metrics, DispatcherMetrics.Name.faults, "/climate") == 1)
        #expect(try count(metrics, DispatcherMetrics.Name.errors, "/climate", [("kind", "io")]) == 1)
        #expect(try count(metrics, DispatcherMetrics.Name.recoveries, "/climate") == 0)
        #expect(throws: (any Error).self, "nothing failed on the servo") {
            try metrics.expectCounter(DispatcherMetrics.Name.errors, [("path", "/leg/lift"), ("kind", "io")])
        }

        // The sampler's sleep or the back-off: either way one more second, then the fault clears
        // and the restart (within the doubled back-off) succeeds.
        await rig.clock.waitForSleepers(1)
        rig.clock.advance(by: .seconds(1))
        await rig.clock.waitForSleepers(1)
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: nil)
        rig.clock.advance(by: .seconds(2))
        _ = await events.next(.recovered)
        #expect(try count(metrics, DispatcherMetrics.Name.recoveries, "/climate") == 1)
        #expect(try count(metrics, DispatcherMetrics.Name.faults, "/climate") == 1)
        #expect(try count(metrics, DispatcherMetrics.Name.samples, "/climate") > samplesAtStart, "sampled again once back")
    }

    @Test func commandsCountAsOperationsAndTheOwnerTimesThem() async throws {
        let metrics = TestMetrics()
        let rig = try Rig(metrics: DispatcherMetrics(factory: metrics))
        let (task, _) = await rig.start()
        defer { task.cancel() }
        // Starting is not counted: only operations asked for (reads, writes, calls, samples).
        #expect(throws: (any Error).self) { try count(metrics, DispatcherMetrics.Name.operations, "/leg/lift") }
        let before: Int64 = 0
        _ = try await rig.dispatcher.put(Rig.lift, .text("120"))
        _ = try await rig.dispatcher.post(Rig.toggle, .empty)
        #expect(try count(metrics, DispatcherMetrics.Name.operations, "/leg/lift") == before + 1)
        // Refused before the hardware: limits are not operations.
        await #expect(throws: IOToyError.self) { try await rig.dispatcher.put(Rig.lift, .text("170")) }
        #expect(try count(metrics, DispatcherMetrics.Name.operations, "/leg/lift") == before + 1)
        let pwmTimes = try metrics.expectTimer(DispatcherMetrics.Name.ownerOperationTime, [("owner", "pwm")]).values
        #expect(pwmTimes.count >= 2, "the servo's start and the PUT ran on the pwm owner: \(pwmTimes)")
    }

    @Test func aFailsafeTripIsCounted() async throws {
        let metrics = TestMetrics()
        let rig = try Rig(failsafe: .milliseconds(500), metrics: DispatcherMetrics(factory: metrics))
        var (task, events) = await rig.start()
        defer { task.cancel() }
        await rig.clock.waitForSleepers(1)
        _ = try await rig.dispatcher.put(Rig.lift, .text("120"))
        await rig.clock.waitForSleepers(2)
        #expect(try count(metrics, DispatcherMetrics.Name.failsafeTrips, "/leg/lift") == 0)
        rig.clock.advance(by: .milliseconds(500))
        _ = await events.next(.failsafe)
        #expect(try count(metrics, DispatcherMetrics.Name.failsafeTrips, "/leg/lift") == 1)
    }

    @Test func eventsDroppedForASlowWatcherAreCounted() throws {
        let metrics = TestMetrics()
        let feed = ChangeFeed()
        let journal = EventJournal(
            feed: feed, clock: ManualClock(), watcherCapacity: 2,
            droppedEvents: DispatcherMetrics(factory: metrics).droppedEvents)
        let watcher = try journal.watch(below: .root) { [] }
        for value in 0..<5 {
            feed.publish(.sample, path: Rig.temperature, value: .int(value), timestamp: Double(value), representation: [UInt8]("{}".utf8))
        }
        #expect(watcher.queuedCount == 2)
        #expect(try metrics.expectCounter(DispatcherMetrics.Name.droppedEvents).totalValue == 3)
    }
}
