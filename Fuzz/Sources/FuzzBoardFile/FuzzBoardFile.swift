import CFuzzerDriver
import IOToyBoard

/// Board-file bytes → the loader → (if accepted) the tree it would serve on simulated
/// hardware, as `iotoyd check` does. Any crash, hang or leak is a defect; a refusal must name
/// at least one problem.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBoardFile(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let board = try BoardLoader(registry: .standard).parse(yaml: text, file: "fuzz.yaml")
        _ = try? board.buildTree(platform: board.simulatedHardware().platform)
    } catch {
        if error.errors.isEmpty { fatalError("a board was refused without a reason") }
    }
    return 0
}

/// The program's entry (SwiftPM names it `FuzzBoardFile_main`): libFuzzer with this input function.
@_cdecl("FuzzBoardFile_main")
public func fuzzBoardFileMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzBoardFile(UnsafeRawPointer(data), size)
    }
}
