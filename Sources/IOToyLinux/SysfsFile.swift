import Glibc
import IOToyHAL

/// Small text files and directories of sysfs and /dev, read and written through ``Syscall``
/// so that every failure names the file, the operation and the errno.
enum SysfsFile {
    /// The file's contents with surrounding whitespace removed (sysfs values end in a newline).
    static func read(_ path: String, device: @autoclosure () -> String? = nil) throws(HardwareError) -> String {
        let fd = try Syscall.retrying("open for reading", device: device() ?? path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try Syscall.retrying("read \(path)", device: device() ?? path) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }

    /// Writes `text` in one write(2), as sysfs attributes require. `operation` names what the
    /// write means (e.g. `set period 20000000 ns`).
    static func write(_ text: String, to path: String, operation: String, device: String) throws(HardwareError) {
        let fd = try Syscall.retrying("open \(path) for writing (\(operation))", device: device) {
            open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return }
        let written = try Syscall.retrying(operation, device: device) {
            bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
        }
        if written != bytes.count {
            throw HardwareError(.io, operation: operation, device: device, message: "short write to \(path)")
        }
    }

    /// Whether `path` exists (any type, symbolic links followed).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether the calling process may write `path` (false while udev has not yet given the
    /// group access to a freshly made sysfs file).
    static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0
    }

    /// The names in a directory, without `.` and `..`, sorted with numbers in numeric order
    /// (`gpiochip2` before `gpiochip10`).
    static func entries(_ path: String) throws(HardwareError) -> [String] {
        let directory = try Syscall.retryingPointer("list directory", device: path) { opendir(path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted(by: naturalOrder)
    }

    /// The target of a symbolic link, or nil when `path` is not one.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Orders names so that embedded numbers compare by value: `i2c-2` < `i2c-10`.
    static func naturalOrder(_ left: String, _ right: String) -> Bool {
        func split(_ text: String) -> (String, Int?) {
            let digits = text.reversed().prefix(while: \.isNumber)
            return (String(text.dropLast(digits.count)), Int(String(digits.reversed())))
        }
        let (leftStem, leftNumber) = split(left), (rightStem, rightNumber) = split(right)
        if leftStem != rightStem || leftNumber == nil || rightNumber == nil { return left < right }
        return leftNumber! < rightNumber!
    }
}
