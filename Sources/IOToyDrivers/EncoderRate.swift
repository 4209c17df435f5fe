/// An encoder's speed in counts per second, from the kernel's timestamps of its edges: the
/// change of count between the newest edge and the last edge at least `window` older (or the
/// oldest one there is), over the time between them. Edges only: no clock is read, so the
/// owner thread's scheduling never enters the rate.
///
/// The owner says when no edge has come for a while (``quiet(for:)``); after `window` of
/// quiet the rate is 0 and the history is forgotten, so the first edges of the next motion
/// are not measured against the last edge of the previous one.
public struct EncoderRate: Sendable, Hashable {
    struct Mark: Sendable, Hashable {
        let timestampNs: UInt64
        let count: Int
    }

    /// How far back the rate looks, and how long a quiet spell ends it.
    public let window: Duration
    private var marks: [Mark] = []
    private var first = 0
    private var quietSinceLastEdge: Duration = .zero

    public init(window: Duration) {
        self.window = window
    }

    private var windowNs: UInt64 {
        UInt64(window.components.seconds) * 1_000_000_000 + UInt64(window.components.attoseconds / 1_000_000_000)
    }

    /// Notes the count after the edge stamped `timestampNs` (edges in timestamp order).
    public mutating func record(count: Int, at timestampNs: UInt64) {
        quietSinceLastEdge = .zero
        marks.append(Mark(timestampNs: timestampNs, count: count))
        let start = timestampNs >= windowNs ? timestampNs - windowNs : 0
        // Keep one mark at or before the window's start: the span then covers the window.
        while marks.count - first > 2, marks[first + 1].timestampNs <= start { first += 1 }
        if first > 512 {
            marks.removeFirst(first)
            first = 0
        }
    }

    /// Notes `duration` with no edge on either line (an event wait that timed out).
    public mutating func quiet(for duration: Duration) {
        quietSinceLastEdge += duration
        if quietSinceLastEdge >= window { forget() }
    }

    /// Forgets the history (a reset of the count, a quiet spell): the rate is 0.
    public mutating func forget() {
        marks.removeAll(keepingCapacity: true)
        first = 0
    }

    /// Counts per second; 0 until two edges are known.
    public var countsPerSecond: Double {
        guard marks.count - first >= 2, let newest = marks.last else { return 0 }
        let oldest = marks[first]
        guard newest.timestampNs > oldest.timestampNs else { return 0 }
        return Double(newest.count - oldest.count) * 1e9 / Double(newest.timestampNs - oldest.timestampNs)
    }
}
