import CFuzzerDriver
import IOToyCore

/// `text/event-stream` bytes → the client's parser, whole and split where the first byte says:
/// the same events either way, whatever the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventStream(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = bytes.first else { return 0 }
    let input = bytes.dropFirst()
    let cut = input.startIndex + Int(first) % (input.count + 1)
    var whole = ServerSentEventParser()
    var pieces = ServerSentEventParser()
    let events = whole.feed(input)
    let split = pieces.feed(input[..<cut]) + pieces.feed(input[cut...])
    if events != split || whole.lastEventID != pieces.lastEventID || whole.retryMilliseconds != pieces.retryMilliseconds {
        fatalError("the parser's events depend on where the bytes were split")
    }
    return 0
}

/// The program's entry (SwiftPM names it `FuzzEventStream_main`): libFuzzer with this input function.
@_cdecl("FuzzEventStream_main")
public func fuzzEventStreamMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzEventStream(UnsafeRawPointer(data), size)
    }
}
