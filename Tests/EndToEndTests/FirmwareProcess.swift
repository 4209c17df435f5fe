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
    convenience init(_ example: String, unplugMs: Int = 300) throws {
        let binary = try FirmwareProcess.ensureBuilt(example)
        let link = try FirmwareProcess.scratchDirectory().appendingPathComponent("\(example).pty").path
        try self.init(binary: binary, arguments: ["--pty-link", link, "--unplug-ms", String(unplugMs)], link: link)
    }

    /// A fresh directory for links and logs.
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoy-fw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts `binary` (a host build, or the simavr runner), which prints its pty's path first.
    init(binary: URL, arguments: [String], link: String) throws {
        self.link = link
        process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The pty's path is printed on a line of its own (simavr chats first): from then on the link exists.
        var output = ""
        while !output.split(separator: "\n").contains(where: { $0.hasPrefix("/dev/pts/") }) || !output.hasSuffix("\n") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.terminate()
                throw FirmwareError.notBuilt("\(binary.lastPathComponent) printed '\(output)' and no pty")
            }
            output += String(decoding: chunk, as: UTF8.self)
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
