import CFuzzerDriver
import IOToyCore

/// A request's path → ``ResourcePath``; a path that parses prints as a path that parses to
/// itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResourcePath(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let path = try? ResourcePath(parsing: text) else { return 0 }
    guard let again = try? ResourcePath(parsing: path.description), again == path else {
        fatalError("\(path) does not parse back to itself")
    }
    _ = path.parent
    _ = path.directoryHref
    return 0
}

/// The program's entry (SwiftPM names it `FuzzResourcePath_main`): libFuzzer with this input function.
@_cdecl("FuzzResourcePath_main")
public func fuzzResourcePathMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzResourcePath(UnsafeRawPointer(data), size)
    }
}
