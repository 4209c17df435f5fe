// swift-tools-version:6.1
// The libFuzzer targets (issue 15 §2), a package of their own so that the sanitizer flags
// (`-sanitize=fuzzer,address`) reach every module they link and nothing else: see Fuzz/run.sh.
import Foundation
import PackageDescription

/// A local package's identity is its directory's name (`main`, or a CI clone's).
let parent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzTarget(_ name: String, _ product: String) -> Target {
    .executableTarget(name: name, dependencies: ["CFuzzerDriver", .product(name: product, package: parent)])
}

let package = Package(
    name: "iotoyd-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's driver entry, declared for Swift.
        .target(name: "CFuzzerDriver"),
        fuzzTarget("FuzzBoardFile", "IOToyBoard"),
        fuzzTarget("FuzzSerialWire", "IOToyWire"),
        fuzzTarget("FuzzRequestBody", "IOToyDispatcher"),
        fuzzTarget("FuzzResourcePath", "IOToyCore"),
        fuzzTarget("FuzzEventStream", "IOToyCore"),
    ]
)
