import IOToyHAL
import Testing
@testable import IOToyLinux

/// libgpiod v1 has no kernel debounce; the backend's lock-out and settle check stand in.
@Suite struct SoftwareDebouncerTests {
    func edge(_ kind: EdgeEvent.Kind, at ms: UInt64) -> EdgeEvent {
        EdgeEvent(kind: kind, timestampNs: ms * 1_000_000, offset: 3)
    }

    @Test func bouncesWithinTheWindowAreDropped() {
        var debouncer = SoftwareDebouncer(window: .milliseconds(10), edge: .both, offset: 3, level: false)
        let passed = debouncer.filter([edge(.rising, at: 100), edge(.falling, at: 101), edge(.rising, at: 103), edge(.falling, at: 150)])
        #expect(passed == [edge(.rising, at: 100), edge(.falling, at: 150)])
        #expect(debouncer.level == false)
    }

    @Test func aGlitchThatEndsOnTheOtherLevelIsSettledAfterTheWindow() {
        var debouncer = SoftwareDebouncer(window: .milliseconds(10), edge: .both, offset: 3, level: false)
        #expect(debouncer.filter([edge(.rising, at: 100), edge(.falling, at: 101)]) == [edge(.rising, at: 100)])
        #expect(debouncer.checkDueNs == 110_000_000)
        #expect(debouncer.settle(level: false, nowNs: 105_000_000) == nil, "not before the window has passed")
        #expect(debouncer.settle(level: false, nowNs: 111_000_000) == edge(.falling, at: 111))
        #expect(debouncer.checkDueNs == nil)
        #expect(debouncer.level == false)
    }

    @Test func aBounceThatEndsWhereItStartedNeedsNoCorrection() {
        var debouncer = SoftwareDebouncer(window: .milliseconds(10), edge: .both, offset: 3, level: false)
        _ = debouncer.filter([edge(.rising, at: 100), edge(.falling, at: 101), edge(.rising, at: 102)])
        #expect(debouncer.settle(level: true, nowNs: 120_000_000) == nil)
        #expect(debouncer.checkDueNs == nil)
    }

    @Test func singleEdgeRequestsAreOnlyLockedOut() {
        var debouncer = SoftwareDebouncer(window: .milliseconds(10), edge: .rising, offset: 3, level: false)
        #expect(debouncer.filter([edge(.rising, at: 100), edge(.rising, at: 105), edge(.rising, at: 111)])
            == [edge(.rising, at: 100), edge(.rising, at: 111)])
        #expect(debouncer.checkDueNs == nil)
    }
}
