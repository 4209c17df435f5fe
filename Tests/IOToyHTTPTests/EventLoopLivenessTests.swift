import Dispatch
import IOToyHTTP
import NIOCore
import NIOPosix
import Testing

/// The watchdog's question to the event loops: a loop blocked by a call that never returns is
/// found once its no-op has waited past the limit; the others are not blamed.
@Suite struct EventLoopLivenessTests {
    @Test func aBlockedLoopIsFoundAndRecovers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let first = group.next(), second = group.next()
        #expect(first !== second)
        let liveness = EventLoopLiveness(group: group)
        // Loop one is blocked by a call that does not return (the test's own thread never waits).
        // (A future's get() would register its callback on the blocked loop: a stream instead.)
        let release = DispatchSemaphore(value: 0)
        let (blocked, blocking) = AsyncStream.makeStream(of: Void.self)
        first.execute { blocking.yield(); release.wait() }
        var started = blocked.makeAsyncIterator()
        _ = await started.next()

        #expect(liveness.stuckLoops(now: .seconds(0), within: .seconds(3)) == 0)   // no-ops queued on both
        try await second.submit {}.get()                                            // loop two ran its no-op
        #expect(liveness.stuckLoops(now: .seconds(2), within: .seconds(3)) == 0)   // loop one: 2 s, not yet
        #expect(liveness.stuckLoops(now: .seconds(4), within: .seconds(3)) == 1)   // 4 s: stuck; loop two not blamed
        release.signal()
        try await first.submit {}.get()
        try await second.submit {}.get()
        #expect(liveness.stuckLoops(now: .seconds(5), within: .seconds(3)) == 0)
        try await group.shutdownGracefully()
    }
}
