import IOToyCore
import Testing
@testable import IOToyDispatcher

/// The stream's journal and watchers on a manual clock: framing, filtering by path, the
/// current values first, resuming with Last-Event-ID, bounded queues, the watcher limit,
/// coalescing and keep-alives.
@Suite struct EventJournalTests {
    let feed = ChangeFeed()
    let clock = ManualClock()

    func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }

    @discardableResult
    func publish(_ at: String, _ value: Int) -> ChangeEvent {
        feed.publish(
            .sample, path: path(at), value: .int(value), timestamp: 1,
            representation: Array(#"{"href":"\#(at)","value":\#(value)}"#.utf8))
    }

    func text(_ delivery: StreamWatcher.Delivery) -> String {
        if case .frame(let bytes) = delivery { return String(decoding: bytes, as: UTF8.self) }
        return "\(delivery)"
    }

    @Test func eachEventIsOneFrameWithIdKindAndTheRepresentation() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        let watcher = try journal.watch(below: .root) { [] }
        publish("/tail", 30)
        feed.publish(.call, path: path("/eyes/toggle"), value: .bool(true), timestamp: 2, representation: Array(#"{"value":true}"#.utf8))
        feed.publish(.fault, path: path("/climate"), value: nil, detail: "NACK", timestamp: 3)
        feed.publish(.started, path: path("/climate"), value: nil, timestamp: 4)
        feed.publish(.recovered, path: path("/climate"), value: nil, timestamp: 5)
        #expect(text(await watcher.next()) == "id: 1\nevent: value\ndata: {\"href\":\"/tail\",\"value\":30}\n\n")
        #expect(text(await watcher.next()) == "id: 2\nevent: call\ndata: {\"value\":true}\n\n")
        let fault = text(await watcher.next())
        #expect(fault.hasPrefix("id: 3\nevent: fault\ndata: {"))
        #expect(fault.contains(#""message":"/climate is faulted: NACK""#))
        #expect(text(await watcher.next()).hasPrefix("id: 5\nevent: recovered\ndata: {\"href\":\"/climate\""), "started is not streamed")
    }

    @Test func aWatcherGetsItsPathAndBelowOnly() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        let leg = try journal.watch(below: path("/front_left_leg")) { [] }
        publish("/tail", 1)
        publish("/front_left_leg/lift", 2)
        publish("/front_left_legs", 3)
        #expect(text(await leg.next()).contains("\"href\":\"/front_left_leg/lift\""))
        #expect(leg.queuedCount == 0, "neither /tail nor /front_left_legs")
    }

    @Test func theCurrentValuesComeFirst() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        publish("/a", 1)
        let watcher = try journal.watch(below: .root) { [(path: path("/bumper"), representation: Array(#"{"value":false}"#.utf8))] }
        publish("/a", 2)
        #expect(text(await watcher.next()) == "id: 1\nevent: value\ndata: {\"value\":false}\n\n", "the current value, at the current id")
        #expect(text(await watcher.next()).hasPrefix("id: 2\n"))
    }

    @Test func lastEventIDResumesOrResets() async throws {
        let journal = EventJournal(feed: feed, clock: clock, capacity: 4)
        for value in 1...6 { publish("/a", value) }         // the ring keeps ids 3…6
        let resumed = try journal.watch(below: .root, resumingAfter: 4) { [] }
        #expect(text(await resumed.next()).hasPrefix("id: 5\n"))
        #expect(text(await resumed.next()).hasPrefix("id: 6\n"))
        #expect(resumed.queuedCount == 0)

        let upToDate = try journal.watch(below: .root, resumingAfter: 6) { [(path: path("/a"), representation: Array("{}".utf8))] }
        #expect(upToDate.queuedCount == 0, "nothing missed, nothing sent")

        let tooOld = try journal.watch(below: .root, resumingAfter: 1) { [(path: path("/a"), representation: Array(#"{"value":6}"#.utf8))] }
        #expect(text(await tooOld.next()) == "event: reset\ndata: {\"last_event_id\":1,\"oldest_kept\":3}\n\n")
        #expect(text(await tooOld.next()) == "id: 6\nevent: value\ndata: {\"value\":6}\n\n", "then the current values")

        let fromAnotherRun = try journal.watch(below: .root, resumingAfter: 99) { [] }
        #expect(text(await fromAnotherRun.next()).hasPrefix("event: reset"))
    }

    @Test func aWatcherThatNeverReadsLosesItsOldestAndIsToldHowMany() async throws {
        let journal = EventJournal(feed: feed, clock: clock, watcherCapacity: 8)
        let stuck = try journal.watch(below: .root) { [] }
        let reader = try journal.watch(below: .root) { [] }
        var read = 0
        for value in 1...1000 {
            publish("/a", value)
            if case .frame = await reader.next() { read += 1 }
        }
        #expect(read == 1000, "the other watcher is unaffected")
        #expect(stuck.queuedCount == 8, "memory stays bounded")
        #expect(text(await stuck.next()) == "event: dropped\ndata: {\"count\":992}\n\n")
        #expect(text(await stuck.next()).hasPrefix("id: 993\n"), "then the newest it kept")
    }

    @Test func theWatcherLimitRefusesOneMoreWith503() throws {
        let journal = EventJournal(feed: feed, clock: clock, maximumWatchers: 2)
        let first = try journal.watch(below: .root) { [] }
        _ = try journal.watch(below: .root) { [] }
        let refused = #expect(throws: IOToyError.self) { try journal.watch(below: .root) { [] } }
        #expect(refused?.status == 503)
        #expect(refused?.code == "too_many_watchers")
        journal.remove(first)
        #expect(journal.watcherCount == 1)
        _ = try journal.watch(below: .root) { [] }
    }

    @Test func aRateKeepsTheLatestValuePerResource() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        let watcher = try journal.watch(below: .root, rate: .milliseconds(100)) { [] }
        publish("/t", 1)
        #expect(text(await watcher.next()).contains("\"value\":1"))
        publish("/t", 2)
        publish("/t", 3)
        publish("/h", 7)                                   // another resource is not held back
        #expect(text(await watcher.next()).contains("\"href\":\"/h\""))
        async let next = watcher.next()
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(99))
        #expect(watcher.queuedCount == 0)
        clock.advance(by: .milliseconds(1))
        #expect(text(await next).contains("\"value\":3"), "2 was replaced by 3, sent 100 ms after 1")
    }

    @Test func anIdleStreamGetsAKeepAliveEvery15Seconds() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        let watcher = try journal.watch(below: .root) { [] }
        async let next = watcher.next()
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(15))
        #expect(await next == .keepAlive)
    }

    @Test func closingEndsEveryStreamAndRefusesNewOnes() async throws {
        let journal = EventJournal(feed: feed, clock: clock)
        let watcher = try journal.watch(below: .root) { [] }
        async let next = watcher.next()
        await clock.waitForSleepers(1)
        journal.close()
        #expect(await next == .finished)
        #expect(throws: IOToyError.self) { try journal.watch(below: .root) { [] } }
    }
}
