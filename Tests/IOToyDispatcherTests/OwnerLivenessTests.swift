import Foundation
import Testing
@testable import IOToyDispatcher

/// The service watchdog's question to an owner, "are you getting through your queue?", in
/// virtual time: the answer never blocks, a hung operation makes it false once the probe has
/// waited longer than the limit, and true again when the thread moves.
@Suite struct OwnerLivenessTests {
    /// Blocks the owner's thread until released; says (without blocking the test's
    /// cooperative thread) when it has started blocking.
    final class Blocker: @unchecked Sendable {
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        let release = DispatchSemaphore(value: 0)
    }

    /// Waits (in real time, bounded) until the owner has run the probe it was given.
    static func drained(_ owner: HardwareOwner) async throws {
        try await owner.perform {}
    }

    @Test func aHungOwnerStopsAnsweringAndRecovers() async throws {
        let owner = HardwareOwner(name: "i2c-1")
        #expect(owner.isResponsive(now: .seconds(0), within: .seconds(3)))   // a probe is queued
        try await Self.drained(owner)

        let blocker = Blocker()
        let hung = Task { try await owner.perform { blocker.startedSignal.yield(); blocker.release.wait() } }
        var started = blocker.started.makeAsyncIterator()
        _ = await started.next()
        // Answered before: a new probe, queued at 3 s behind the hung operation.
        #expect(owner.isResponsive(now: .seconds(3), within: .seconds(3)))
        #expect(owner.isResponsive(now: .seconds(5), within: .seconds(3)))     // 2 s: not yet
        #expect(owner.isResponsive(now: .seconds(6), within: .seconds(3)))     // exactly the limit
        #expect(!owner.isResponsive(now: .seconds(6.5), within: .seconds(3)))  // past it: hung
        #expect(!owner.isResponsive(now: .seconds(60), within: .seconds(3)))   // and stays so

        blocker.release.signal()
        try await hung.value
        try await Self.drained(owner)
        #expect(owner.isResponsive(now: .seconds(61), within: .seconds(3)))
        owner.shutdown()
    }

    @Test func aShutDownOwnerIsNotHung() {
        let owner = HardwareOwner(name: "gpio")
        owner.shutdown()
        #expect(owner.isResponsive(now: .seconds(0), within: .seconds(1)))
        #expect(owner.isResponsive(now: .seconds(100), within: .seconds(1)))
    }
}
