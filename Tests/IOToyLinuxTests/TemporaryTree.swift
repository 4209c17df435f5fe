import Foundation

/// A directory tree under the temporary directory that mimics part of /sys or /dev, removed
/// when the value is released.
final class TemporaryTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("iotoy-linux-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `contents` to `relative`, creating directories.
    func file(_ relative: String, _ contents: String = "") throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Makes a directory.
    func directory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: "\(root)/\(relative)", withIntermediateDirectories: true)
    }

    /// Makes a symbolic link at `relative` pointing to `target`.
    func link(_ relative: String, to target: String) throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// The contents of `relative`.
    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8)
    }

    /// A fake pwmchip: `npwm`, `export`, `unexport`, and the given channels already exported.
    func pwmChip(_ name: String, channels: Int, exported: [Int]) throws {
        try file("\(name)/npwm", "\(channels)\n")
        try file("\(name)/export")
        try file("\(name)/unexport")
        for channel in exported {
            for (attribute, value) in [("period", "0"), ("duty_cycle", "0"), ("enable", "0"), ("polarity", "normal")] {
                try file("\(name)/pwm\(channel)/\(attribute)", value + "\n")
            }
        }
    }
}
