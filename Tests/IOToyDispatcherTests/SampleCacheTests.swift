import IOToyCore
import Testing
@testable import IOToyDispatcher

/// The cache's slots: one per path, kept for the cache's life, so a reader holding a slot (GET's
/// table by the path's text) sees every later store and every removal.
@Suite struct SampleCacheTests {
    static func entry(_ number: Int) -> SampleCache.Entry {
        SampleCache.Entry(value: .int(number), timestamp: Double(number), encoded: Array("\(number)".utf8))
    }

    static let temperature = try! ResourcePath(["climate", "temperature"])
    static let pressure = try! ResourcePath(["climate", "pressure"])
    static let bumper = try! ResourcePath(["bumper"])

    @Test func aSlotTakenBeforeTheFirstStoreSeesEveryLaterOne() {
        let cache = SampleCache()
        let slot = cache.slot(Self.temperature)
        #expect(slot.current == nil)
        #expect(cache.store(Self.entry(1), at: Self.temperature) == nil)
        #expect(slot.current?.encoded == Array("1".utf8))
        #expect(cache.store(Self.entry(2), at: Self.temperature) == .int(1))
        #expect(slot.current?.value == .int(2))
        #expect(cache.slot(Self.temperature) === slot)
        #expect(cache.slot(Self.pressure) !== slot)
    }

    @Test func removingBelowAPathEmptiesOnlyItsSlotsAndKeepsThemLive() {
        let cache = SampleCache()
        cache.store(Self.entry(1), at: Self.temperature)
        cache.store(Self.entry(2), at: Self.pressure)
        cache.store(Self.entry(3), at: Self.bumper)
        let slot = cache.slot(Self.temperature)
        cache.removeAll(below: try! ResourcePath(["climate"]))
        #expect(slot.current == nil)
        #expect(cache.entry(Self.pressure) == nil)
        #expect(cache.entry(Self.bumper)?.value == .int(3))
        #expect(cache.entries(below: .root).map(\.path) == [Self.bumper])
        // The recovered component's next sample reaches the slot a reader already holds.
        cache.store(Self.entry(4), at: Self.temperature)
        #expect(slot.current?.value == .int(4))
        #expect(cache.entries(below: .root).map(\.path) == [Self.bumper, Self.temperature])
    }
}
