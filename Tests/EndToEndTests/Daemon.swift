import Foundation
import HTTPTypes
import HummingbirdTesting
import IOToyCore
import NIOCore
import Synchronization

/// The real `iotoyd` binary, started as a child process on an ephemeral port.
final class Daemon: Sendable {
    let process: Process
    let port: Int
    /// The address it is bound to, which requests go to.
    let host: String
    private let output = LogBuffer()

    /// Where the binary is: `IOTOYD_BINARY`, or beside the test bundle, or in .build/debug.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["IOTOYD_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("iotoyd")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/iotoyd").standardized
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// Starts `iotoyd <arguments> --port 0 --bind 127.0.0.1` and waits for its "serving" line.
    /// Test daemons stay off mDNS (`--no-advertise`) unless `advertise` is asked for, so a test
    /// run never puts unreachable devices on the real network.
    init(
        _ arguments: [String] = [], advertise: Bool = false, bind: String = "127.0.0.1", port: Int = 0,
        environment: [String: String] = [:]
    ) throws {
        process = Process()
        process.executableURL = Daemon.binary
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.arguments = arguments + ["--port", "\(port)", "--bind", bind] + (advertise ? [] : ["--no-advertise"])
        host = bind
        process.currentDirectoryURL = Daemon.packageRoot
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Blocking reads of the child's first line; this is a test process, not an event loop.
        var line = ""
        while !line.contains("\n") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        // The banner's URL: http://127.0.0.1:PORT/ or http://[::1]:PORT/.
        let urlHost = bind.contains(":") ? "[\(bind)]" : bind
        guard let range = line.range(of: "http://\(urlHost):", options: .literal),
              let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DaemonError.didNotStart(line + errors)
        }
        self.port = port
        output.append(line)
        let errorHandle = stderr.fileHandleForReading
        let output = self.output
        Thread.detachNewThread {
            while case let chunk = errorHandle.availableData, !chunk.isEmpty {
                output.append(String(decoding: chunk, as: UTF8.self))
            }
        }
    }

    /// `iotoyd serve --serial <port>`, once the device on the port has answered (HTTP is
    /// served before that, every path answering 503 until then).
    static func serial(_ port: String, _ more: [String] = []) throws -> Daemon {
        let daemon = try Daemon(["serve", "--serial", port] + more)
        guard daemon.waitForLog("device answered", timeout: 30) else {
            _ = daemon.stop()
            throw DaemonError.didNotStart("the device on \(port) never answered: \(daemon.log)")
        }
        return daemon
    }

    /// `iotoyd serve --simulate` on a board written from `yaml` (the file is gone once the
    /// daemon has read it and is serving).
    static func simulating(_ yaml: String) throws -> Daemon {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-board-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Daemon(["serve", "--simulate", file.path])
    }

    /// What the daemon logged so far.
    var log: String { output.text }

    /// Waits until the daemon logs `needle` (after the first `skipping` characters of its log).
    func waitForLog(_ needle: String, after skipping: Int = 0, timeout: Double = 10) -> Bool {
        output.wait(for: needle, after: skipping, timeout: timeout)
    }

    /// Sends SIGTERM and returns the exit status once the process has ended.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// One request over a fresh connection.
    func request(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        try await TestClient.withClient(host: host, port: port) { client in
            let response = try await client.execute(.init(uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
            return Reply(status: response.status.code, headers: response.headers,
                         json: response.body.flatMap { try? JSONCoding.decode(JSONValue.self, from: Array($0.readableBytesView)) })
        }
    }

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPFields
        let json: JSONValue?
    }
}

/// Text collected from a child's output by a reader thread; tests wait for a line to appear
/// (woken by the reader, no polling).
final class LogBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var storage = ""

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return storage
    }

    func append(_ more: String) {
        condition.lock()
        storage += more
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `needle` occurs after the first `skipping` characters; false on timeout.
    func wait(for needle: String, after skipping: Int = 0, timeout seconds: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !String(storage.dropFirst(skipping)).contains(needle) {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}

enum DaemonError: Error {
    case didNotStart(String)
}

/// Runs `iotoyd` to completion and returns its exit status and standard error.
func runToCompletion(_ arguments: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
    let process = Process()
    process.executableURL = Daemon.binary
    process.arguments = arguments
    process.currentDirectoryURL = Daemon.packageRoot
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: err, as: UTF8.self), String(decoding: out, as: UTF8.self))
}


