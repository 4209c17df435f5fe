import Foundation
import IOToyCore
import Testing

/// The real `iotoy` binary against the real `iotoyd`, by `host:port` (finding devices by name
/// needs avahi-daemon: Tests/mdns/run.sh).
@Suite(.serialized) struct ClientCommandTests {
    @Test func getSetCallByAddress() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let device = "127.0.0.1:\(daemon.port)"

        #expect(try await iotoy("get", "\(device)/front_left_leg/lift") == .init(status: 0, stdout: "90 deg\n", stderr: ""))
        #expect(try await iotoy("get", "\(device)/climate/temperature").stdout == "25.08 degC\n")
        #expect(try await iotoy("set", "\(device)/front_left_leg/lift", "45").stdout == "45 deg\n")
        #expect(try await iotoy("set", "\(device)/tail", "-30").stdout == "-30 deg\n")
        #expect(try await iotoy("get", "\(device)/tail").stdout == "-30 deg\n")
        #expect(try await iotoy("call", "\(device)/eyes/toggle").stdout == "true\n")
        #expect(try await iotoy("get", "\(device)/eyes").stdout == "true\n")

        let json = try await iotoy("get", "--json", "\(device)/front_left_leg/lift")
        let representation = try JSONCoding.decode(JSONValue.self, from: Array(json.stdout.utf8))
        #expect(representation["value"]?.doubleValue == 45)
        #expect(representation["type"] == .string("iotoy.org/types/float"))
    }

    @Test func listingsTreesAndHelp() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let device = "127.0.0.1:\(daemon.port)"

        let listing = try await iotoy("ls", device).stdout
        let names: [String] = listing.split(separator: "\n").map { line in String(line.prefix { $0 != " " }) }
        #expect(names == ["front_left_leg/", "tail", "eyes", "bumper", "climate/", "base/", "headlight", "distance/", "imu/", "battery/", "devinfo"])
        let tail = listing.split(separator: "\n").first { $0.hasPrefix("tail ") }
        #expect(tail?.hasSuffix(" float  Tail position (degrees)") == true)
        #expect(listing.split(separator: "\n").first?.hasSuffix("  Front left leg") == true)

        let tree = try await iotoy("tree", device).stdout
        #expect(tree.hasPrefix("robocat  Wheeled robot cat with a leg and a tail (demo, simulated)\n"))
        #expect(tree.contains("│   ├── lift"))
        #expect(tree.contains("│   └── toggle()"))
        #expect(!tree.contains("devinfo"))

        let help = try await iotoy("help", "\(device)/front_left_leg/lift").stdout
        #expect(help == """
            /front_left_leg/lift: Lift the leg (degrees)
            type:     float
            methods:  GET, PUT
            limits:   min 20, max 160 deg

            """)
        let function = try await iotoy("help", "\(device)/eyes/toggle").stdout
        #expect(function.contains("function:   toggle -> value:bool"))
        #expect(function.contains("arguments:  no arguments"))

        let treeJSON = try JSONCoding.decode(JSONValue.self, from: Array(try await iotoy("tree", "--json", device).stdout.utf8))
        #expect(treeJSON["children"]?[0]?["name"] == .string("front_left_leg"))
        #expect(treeJSON["children"]?[0]?["children"]?[0]?["type"] == .string("float"))
    }

    @Test func failuresSayWhatWentWrongWithTheirOwnExitStatus() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let device = "127.0.0.1:\(daemon.port)"

        #expect(try await iotoy("set", "\(device)/front_left_leg/lift", "200") == .init(
            status: 7, stdout: "", stderr: "iotoy: /front_left_leg/lift: 200 is outside the limits (min 20, max 160 deg)\n"))
        #expect(try await iotoy("get", "\(device)/front_left_leg/lfit") == .init(
            status: 5, stdout: "", stderr: "iotoy: /front_left_leg/lfit: no such resource on the device (has: lift, swing)\n"))
        #expect(try await iotoy("set", "\(device)/front_left_leg/lift", "high") == .init(
            status: 6, stdout: "", stderr: "iotoy: /front_left_leg/lift: 'high' is not a valid float\n"))
        #expect(try await iotoy("call", "\(device)/eyes/toggle", "now").status == 6)
        #expect(try await iotoy("set", "\(device)/eyes/toggle", "1").stderr == "iotoy: /eyes/toggle is a function, not an attribute to set\n")
        #expect(try await iotoy("get", "127.0.0.1:1/eyes") == .init(
            status: 4, stdout: "", stderr: "iotoy: 127.0.0.1:1 does not answer at http://127.0.0.1:1/devinfo: connection refused\n"))
        let unknown = try await iotoy("get", "--timeout", "1", "nosuchcat/eyes")
        #expect(unknown.status == 2 || unknown.status == 3, "\(unknown)")
        #expect(unknown.stderr.hasPrefix("iotoy: ") && unknown.stderr.contains("'nosuchcat'"))
        #expect(try await iotoy("get").status == 64)
        // Options after the resource would be sent to the device as text: refused, nothing written.
        let swallowed = try await iotoy("set", "\(device)/front_left_leg/lift", "45", "--json")
        #expect(swallowed.status == 64)
        #expect(swallowed.stderr.contains("put options before DEVICE/path"), "\(swallowed)")
        #expect(try await iotoy("get", "--json", "\(device)/front_left_leg/lift").stdout.contains("\"value\":90"), "still the initial angle")
        #expect(try await iotoy("browse", "--timeout", "nan").status == 64)
        // A port out of range is a usage error, like every other bad number on the command line.
        for address in ["127.0.0.1:99999", "127.0.0.1:0", "[::1]:70000", "localhost:-1"] {
            let run = try await iotoy("ls", address)
            #expect(run.status == 64, "\(address): \(run)")
            #expect(run.stderr.contains("1 to 65535") || run.stderr.contains("port"), "\(address): \(run.stderr)")
        }
        #expect(try await iotoy("get", "--request-timeout", "1e300", "\(device)/eyes").status == 64)
    }
}

/// What a run of `iotoy` printed and how it ended.
struct CommandRun: Sendable, Equatable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the `iotoy` binary (beside `iotoyd`) to completion.
func iotoy(_ arguments: String...) async throws -> CommandRun {
    try await offThePool { try iotoyBlocking(arguments) }
}

private func iotoyBlocking(_ arguments: [String]) throws -> CommandRun {
    let process = Process()
    process.executableURL = Daemon.binary.deletingLastPathComponent().appendingPathComponent("iotoy")
    process.arguments = arguments
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandRun(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}
