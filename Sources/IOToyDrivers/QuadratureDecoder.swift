/// x4 decoding of a quadrature encoder from its lines' edges: every edge of either line is one
/// count, its sign given by the other line's level. Turning forward, A leads B: (A, B) goes
/// 00 → 10 → 11 → 01 → 00, one count up per step.
///
/// The decoder tracks both levels from the edges themselves. An edge that leaves its line's
/// level as it was (a rising edge on a line already high) means the kernel lost the edge
/// between: with the other line still, the lost pair of edges would have counted +1 and −1,
/// so nothing is counted and the edge is counted in ``missedEdges`` instead.
public struct QuadratureDecoder: Sendable, Hashable {
    /// The encoder's two lines.
    public enum Line: Sendable, Hashable { case a, b }

    /// The levels of A and B as the decoder last saw them.
    public private(set) var a: Bool
    public private(set) var b: Bool
    /// Counts so far (x4: four per cycle of A).
    public private(set) var count = 0
    /// Edges that did not change their line's level: the sign of a lost edge pair.
    public private(set) var missedEdges = 0

    /// A decoder starting from the levels read when the lines were requested.
    public init(a: Bool, b: Bool) {
        self.a = a
        self.b = b
    }

    /// Applies one edge: `rising` is the line's new level. Answers the count's change: +1,
    /// −1, or 0 for an edge that changed nothing (``missedEdges``).
    @discardableResult
    public mutating func apply(_ line: Line, rising: Bool) -> Int {
        let step: Int
        switch line {
        case .a:
            guard rising != a else { missedEdges += 1; return 0 }
            a = rising
            step = a != b ? 1 : -1
        case .b:
            guard rising != b else { missedEdges += 1; return 0 }
            b = rising
            step = a == b ? 1 : -1
        }
        count += step
        return step
    }

    /// Sets the count (a reset to 0), keeping the levels.
    public mutating func setCount(_ value: Int) {
        count = value
    }
}
