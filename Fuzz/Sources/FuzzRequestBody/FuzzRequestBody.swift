import CFuzzerDriver
import IOToyCore
import IOToyDispatcher

/// The first byte picks a Content-Type; the rest is a request body → ``RequestInput`` → a
/// value of every type and the arguments of a few function specs, as a PUT and a POST read it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestBody(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let first = bytes.first else { return 0 }
    let types: [String?] = [
        nil, "application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
        "application/vnd.iotoy+json; charset=utf-8", "TEXT/PLAIN;charset=latin1", "image/png", ";", "",
    ]
    guard let input = try? RequestInput(body: Array(bytes.dropFirst()), contentType: types[Int(first) % types.count]) else { return 0 }
    for type in ValueType.allCases { _ = try? input.value(as: type) }
    let specs = [
        FunctionSpec(),
        FunctionSpec(args: [Parameter("ms", .int)]),
        FunctionSpec(args: [Parameter("linear", .float), Parameter("angular", .float)]),
        FunctionSpec(args: [Parameter("text", .str), Parameter("on", .bool), Parameter("data", .json)]),
    ]
    for spec in specs { _ = try? input.arguments(for: spec) }
    return 0
}

/// The program's entry (SwiftPM names it `FuzzRequestBody_main`): libFuzzer with this input function.
@_cdecl("FuzzRequestBody_main")
public func fuzzRequestBodyMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzRequestBody(UnsafeRawPointer(data), size)
    }
}
