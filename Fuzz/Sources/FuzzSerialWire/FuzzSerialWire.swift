import CFuzzerDriver
import IOToyWire

/// Bytes from a serial port → the line splitter (fed in two pieces, split where the first byte
/// says) → every line as a reply, an attribute help line, a function help line, a listing.
/// Splitting the same bytes anywhere must give the same lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSerialWire(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = bytes.first else { return 0 }
    let input = bytes.dropFirst()
    let cut = input.startIndex + Int(first) % (input.count + 1)
    var whole = SerialLineSplitter(maximumLineBytes: 256)
    var pieces = SerialLineSplitter(maximumLineBytes: 256)
    let lines = whole.feed(input)
    let split = pieces.feed(input[..<cut]) + pieces.feed(input[cut...])
    if lines != split { fatalError("the splitter's lines depend on where the bytes were split") }
    for line in lines {
        if let reply = SerialReply(line: line) {
            _ = reply.readyIdentity
            _ = reply.payload.map(SerialListing.functions)
            _ = reply.payload.map(SerialListing.attributes)
        }
        _ = AttributeHelp(line)
        _ = FunctionHelp(line)
        _ = DeviceIdentity(line)
    }
    return 0
}

/// The program's entry (SwiftPM names it `FuzzSerialWire_main`): libFuzzer with this input function.
@_cdecl("FuzzSerialWire_main")
public func fuzzSerialWireMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzSerialWire(UnsafeRawPointer(data), size)
    }
}
