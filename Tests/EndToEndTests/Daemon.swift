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
    private let output: LogBuffer
    /// The threads reading the child's pipes, which ``stop()`` lets finish.
    private let readers = DispatchGroup()

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
    ) async throws {
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
        // Reader threads fill the buffers; the test waits for the banner suspended, not holding
        // a thread of the cooperative pool. The log is the banner's line, then standard error.
        let banner = LogBuffer(), output = LogBuffer()
        self.output = output
        for (handle, buffer) in [(stdout.fileHandleForReading, banner), (stderr.fileHandleForReading, output)] {
            readers.enter()
            Thread.detachNewThread { [readers] in
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    buffer.append(String(decoding: chunk, as: UTF8.self))
                }
                buffer.close()
                readers.leave()
            }
        }
        // The banner's URL: http://127.0.0.1:PORT/ or http://[::1]:PORT/, on one line.
        let urlHost = bind.contains(":") ? "[\(bind)]" : bind
        _ = await banner.wait(for: "\n", timeout: 60)
        let line = banner.text
        guard let range = line.range(of: "http://\(urlHost):", options: .literal),
              let port = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            _ = await output.wait(for: "\u{0}", timeout: 10)   // until standard error closes
            throw DaemonError.didNotStart(line + output.text)
        }
        output.prepend(line)
        self.port = port
    }

    /// `iotoyd serve --serial <port>`, once the device on the port has answered (HTTP is
    /// served before that, every path answering 503 until then).
    static func serial(_ port: String, _ more: [String] = []) async throws -> Daemon {
        let daemon = try await Daemon(["serve", "--serial", port] + more)
        guard await daemon.waitForLog("device answered", timeout: 30) else {
            _ = daemon.stop()
            throw DaemonError.didNotStart("the device on \(port) never answered: \(daemon.log)")
        }
        return daemon
    }

    /// `iotoyd serve --simulate` on a board written from `yaml` (the file is gone once the
    /// daemon has read it and is serving).
    static func simulating(_ yaml: String) async throws -> Daemon {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-board-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await Daemon(["serve", "--simulate", file.path])
    }

    /// What the daemon logged so far.
    var log: String { output.text }

    /// Waits until the daemon logs `needle` (after the first `skipping` characters of its log).
    /// The time limit is generous: it only matters when the line never comes, and a start on a
    /// loaded CI machine can take seconds.
    func waitForLog(_ needle: String, after skipping: Int = 0, timeout: Double = 30) async -> Bool {
        await output.wait(for: needle, after: skipping, timeout: timeout)
    }

    /// Sends SIGTERM and returns the exit status once the process has ended.
    /// The log is then complete (the pipes' readers have read to the end).
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        _ = readers.wait(timeout: .now() + 10)
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

enum DaemonError: Error {
    case didNotStart(String)
}

/// Runs `iotoyd` to completion and returns its exit status and standard error.
func runToCompletion(_ arguments: [String]) async throws -> (status: Int32, stderr: String, stdout: String) {
    try await offThePool { try runToCompletionBlocking(arguments) }
}

/// Runs blocking work (a child's pipes read to their end) on a thread of its own, so the
/// cooperative pool (one thread per core) is never held by it.
func offThePool<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}

private func runToCompletionBlocking(_ arguments: [String]) throws -> (status: Int32, stderr: String, stdout: String) {
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


