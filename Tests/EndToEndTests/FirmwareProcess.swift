import Foundation

/// The project's Arduino firmware built for Linux (`Firmware/build/host/<example>`), serving
/// the IOTOY protocol on a pseudo-terminal as a board would on its USB serial port.
/// SIGUSR1 pulls the cable: the pty hangs up, and a new one appears at the same link.
final class FirmwareProcess: Sendable {
    let process: Process
    /// A stable symlink to the current pty (like `/dev/serial/by-id/…`).
    let link: String

    static let hostBuild = Daemon.packageRoot.appendingPathComponent("Firmware/build/host")

    /// Builds the host firmware when it is missing (`make -C Firmware host`, g++ only).
    static func ensureBuilt(_ example: String) throws -> URL {
        let binary = hostBuild.appendingPathComponent(example)
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        make.arguments = ["-C", Daemon.packageRoot.appendingPathComponent("Firmware").path, "host"]
        make.standardOutput = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        guard make.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw FirmwareError.notBuilt("make -C Firmware host failed (status \(make.terminationStatus)); g++ is needed")
        }
        return binary
    }

    /// Starts `example` (testhost, bothost, legcontroller) and waits for its pty.
    init(_ example: String, unplugMs: Int = 300) throws {
        let binary = try FirmwareProcess.ensureBuilt(example)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoy-fw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        link = directory.appendingPathComponent("\(example).pty").path
        process = Process()
        process.executableURL = binary
        process.arguments = ["--pty-link", link, "--unplug-ms", String(unplugMs)]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is the pty path: from then on the link exists.
        var first = ""
        while !first.contains("\n") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += String(decoding: chunk, as: UTF8.self)
        }
        guard first.hasPrefix("/dev/pts/") else {
            process.terminate()
            throw FirmwareError.notBuilt("\(example) printed '\(first)' instead of its pty")
        }
    }

    /// Pulls the USB cable; the firmware plugs back in after `unplugMs`.
    func unplug() { kill(process.processIdentifier, SIGUSR1) }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

enum FirmwareError: Error {
    case notBuilt(String)
}
