import IOToyHAL

/// Debounces edge events in software, for libgpiod v1 whose kernel interface has no debounce.
///
/// An edge is passed on unless it follows the last passed edge by less than the window (a
/// lock-out, like the simulator's). A suppressed edge may leave the line at a level other
/// than the one last reported (a short glitch: rising, then falling 1 ms later), so with both
/// edges watched the owner checks the line once the window has passed (``checkDueNs``) and
/// ``settle(level:nowNs:)`` reports the missing edge. Pure logic: the request supplies the
/// events, the clock and the line's level.
struct SoftwareDebouncer: Sendable {
    let windowNs: UInt64
    let edge: LineEdge
    let offset: Int
    /// The logical level last reported (or read when the line was requested).
    private(set) var level: Bool
    private var lastPassedNs: UInt64?
    private var suppressed = false

    init(window: Duration, edge: LineEdge, offset: Int, level: Bool) {
        self.windowNs = window.wholeNanoseconds
        self.edge = edge
        self.offset = offset
        self.level = level
    }

    /// The events that survive the lock-out, in order.
    mutating func filter(_ events: [EdgeEvent]) -> [EdgeEvent] {
        var passed: [EdgeEvent] = []
        for event in events {
            if let last = lastPassedNs, event.timestampNs >= last, event.timestampNs - last < windowNs {
                suppressed = true
                continue
            }
            lastPassedNs = event.timestampNs
            level = event.kind == .rising
            suppressed = false
            passed.append(event)
        }
        return passed
    }

    /// When the line must be checked for an edge the lock-out swallowed; nil when no check is due.
    var checkDueNs: UInt64? {
        guard suppressed, edge == .both, let last = lastPassedNs else { return nil }
        return last + windowNs
    }

    /// Compares the line's level, read at `nowNs` (at or after ``checkDueNs``), with the last
    /// reported one and returns the edge that was swallowed, if the level differs.
    mutating func settle(level current: Bool, nowNs: UInt64) -> EdgeEvent? {
        guard let due = checkDueNs, nowNs >= due else { return nil }
        suppressed = false
        guard current != level else { return nil }
        level = current
        lastPassedNs = nowNs
        return EdgeEvent(kind: current ? .rising : .falling, timestampNs: nowNs, offset: offset)
    }
}
