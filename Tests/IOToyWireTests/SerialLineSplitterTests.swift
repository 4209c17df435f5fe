import IOToyWire
import Testing

@Suite("Serial line splitting: chunking never changes the result")
struct SerialLineSplitterTests {
    /// What a real exchange looks like on the wire: CRLF from a board, LF from a mock, a reply
    /// whose data holds colons, a debug print, an empty line.
    static let transcript = Array(
        ("200:DEV READY:testhost\r\n" + "200:FUNCS OK:ping,devinfo,funcs,attrs,set,get,help,add\r\n"
            + "debug: x=3\n" + "200:Found:a:b:c\r\n" + "\r\n" + "200:Help found:add a:int b:int -> sum:int - Add\n").utf8)
    static let expected = [
        "200:DEV READY:testhost", "200:FUNCS OK:ping,devinfo,funcs,attrs,set,get,help,add", "debug: x=3",
        "200:Found:a:b:c", "", "200:Help found:add a:int b:int -> sum:int - Add",
    ]

    @Test func wholeInput() {
        var splitter = SerialLineSplitter()
        #expect(splitter.feed(Self.transcript) == Self.expected)
        #expect(!splitter.hasPartialLine)
    }

    @Test func splitAtEveryByte() {
        for cut in 0...Self.transcript.count {
            var splitter = SerialLineSplitter()
            let lines = splitter.feed(Self.transcript[..<cut]) + splitter.feed(Self.transcript[cut...])
            #expect(lines == Self.expected, "split at byte \(cut)")
        }
    }

    @Test func splitInTwoPlacesAndByteByByte() {
        for first in stride(from: 0, through: Self.transcript.count, by: 3) {
            for second in stride(from: first, through: Self.transcript.count, by: 5) {
                var splitter = SerialLineSplitter()
                let lines = splitter.feed(Self.transcript[..<first]) + splitter.feed(Self.transcript[first..<second])
                    + splitter.feed(Self.transcript[second...])
                #expect(lines == Self.expected, "split at \(first) and \(second)")
            }
        }
        var splitter = SerialLineSplitter()
        #expect(Self.transcript.flatMap { splitter.feed([$0]) } == Self.expected)
    }

    @Test func aCRBetweenTwoChunksBeforeLFIsStillDropped() {
        var splitter = SerialLineSplitter()
        #expect(splitter.feed(Array("200:OK:pong\r".utf8)).isEmpty)
        #expect(splitter.hasPartialLine)
        #expect(splitter.feed([UInt8(ascii: "\n")]) == ["200:OK:pong"])
    }

    @Test func runawayLinesAreDiscardedWholeInsteadOfGrowing() {
        var splitter = SerialLineSplitter(maximumLineBytes: 8)
        #expect(splitter.feed(Array("0123456789abcdefXY\n200:OK:x\n".utf8)) == ["200:OK:x"])
        #expect(splitter.discardedLines == 1)
        #expect(splitter.feed(Array("01234567\n".utf8)) == ["01234567"], "exactly the limit is kept")
    }

    @Test func noiseBeforeALineIsDropped() {
        var splitter = SerialLineSplitter()
        #expect(splitter.feed([0x00, 0xff, 0xf8] + Array("200:DEV READY:uno\r\n".utf8)) == ["200:DEV READY:uno"])
        var clean = SerialLineSplitter()
        #expect(clean.feed([0x00, 0x1b, 0x07] + Array("200:DEV READY:uno\r\n".utf8)) == ["200:DEV READY:uno"])
    }

    @Test func resetForgetsAPartialLine() {
        var splitter = SerialLineSplitter()
        _ = splitter.feed(Array("200:Fou".utf8))
        splitter.reset()
        #expect(splitter.feed(Array("200:OK:pong\n".utf8)) == ["200:OK:pong"])
    }
}
