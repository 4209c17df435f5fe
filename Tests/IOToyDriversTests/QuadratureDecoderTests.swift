import Testing
@testable import IOToyDrivers

/// x4 decoding by the quadrature state table, and the rate from edge timestamps.
@Suite struct QuadratureDecoderTests {
    /// Every one of the eight single-line transitions of the Gray-code cycle: forward, A leads
    /// B (00 → 10 → 11 → 01 → 00), each +1; each step undone is −1.
    @Test(arguments: [
        (false, false, QuadratureDecoder.Line.a, true, 1),   // 00 → 10
        (true, false, .b, true, 1),                           // 10 → 11
        (true, true, .a, false, 1),                           // 11 → 01
        (false, true, .b, false, 1),                          // 01 → 00
        (true, false, .a, false, -1),                         // 10 → 00
        (true, true, .b, false, -1),                          // 11 → 10
        (false, true, .a, true, -1),                          // 01 → 11
        (false, false, .b, true, -1),                         // 00 → 01
    ])
    func theStateTable(a: Bool, b: Bool, line: QuadratureDecoder.Line, rising: Bool, step: Int) {
        var decoder = QuadratureDecoder(a: a, b: b)
        #expect(decoder.apply(line, rising: rising) == step)
        #expect(decoder.count == step)
        #expect(decoder.missedEdges == 0)
    }

    @Test func aFullCycleIsFourCountsEachWay() {
        var decoder = QuadratureDecoder(a: false, b: false)
        for (line, rising) in [(QuadratureDecoder.Line.a, true), (.b, true), (.a, false), (.b, false)] { decoder.apply(line, rising: rising) }
        #expect(decoder.count == 4)
        for (line, rising) in [(QuadratureDecoder.Line.b, true), (.a, true), (.b, false), (.a, false)] { decoder.apply(line, rising: rising) }
        #expect(decoder.count == 0)
        #expect(decoder.a == false && decoder.b == false)
    }

    /// Contact bounce on one line while the other is still nets out: A up, down, up is +1.
    @Test func bounceOnOneLineNetsOut() {
        var decoder = QuadratureDecoder(a: false, b: false)
        for rising in [true, false, true] { decoder.apply(.a, rising: rising) }
        #expect(decoder.count == 1)
        #expect(decoder.missedEdges == 0)
    }

    /// A rising edge on a line already high: the falling edge between was lost (and its
    /// partner with it); nothing is counted, the miss is.
    @Test func anEdgeThatChangesNothingIsAMissedPair() {
        var decoder = QuadratureDecoder(a: true, b: false)
        #expect(decoder.apply(.a, rising: true) == 0)
        #expect(decoder.count == 0 && decoder.missedEdges == 1)
        #expect(decoder.apply(.b, rising: true) == 1)        // decoding goes on from the levels
    }

    @Test func theRateIsCountsOverTheEdgesTimeSpan() {
        var rate = EncoderRate(window: .milliseconds(100))
        #expect(rate.countsPerSecond == 0)
        rate.record(count: 1, at: 1_000_000_000)
        #expect(rate.countsPerSecond == 0)                   // one edge: no speed yet
        // An edge every 2 ms: 500 counts/s, whatever the window holds.
        for index in 2...200 { rate.record(count: index, at: 1_000_000_000 + UInt64(index - 1) * 2_000_000) }
        #expect(rate.countsPerSecond == 500)
        // Reversing: the span covers the last 100 ms; 25 counts back in 50 ms after 25 forward.
        let start: UInt64 = 1_000_000_000 + 199 * 2_000_000
        for index in 1...25 { rate.record(count: 200 - index, at: start + UInt64(index) * 2_000_000) }
        #expect(rate.countsPerSecond == 0)                   // 200 - 25 = 175 = the count 100 ms before
        for index in 26...50 { rate.record(count: 200 - index, at: start + UInt64(index) * 2_000_000) }
        #expect(rate.countsPerSecond == -500)
    }

    @Test func aQuietSpellAsLongAsTheWindowEndsTheRate() {
        var rate = EncoderRate(window: .milliseconds(100))
        rate.record(count: 1, at: 0)
        rate.record(count: 2, at: 10_000_000)                // 100 counts/s
        rate.quiet(for: .milliseconds(50))
        #expect(rate.countsPerSecond == 100)
        rate.quiet(for: .milliseconds(50))
        #expect(rate.countsPerSecond == 0)
        // The next motion is not measured against the last edge before the stop.
        rate.record(count: 3, at: 5_000_000_000)
        #expect(rate.countsPerSecond == 0)
        rate.record(count: 4, at: 5_001_000_000)
        #expect(rate.countsPerSecond == 1000)
    }
}
