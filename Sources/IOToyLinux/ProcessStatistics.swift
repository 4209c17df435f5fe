import Glibc

/// What the kernel says about this process, from `/proc` (for `/metrics`): resident
/// memory, open file descriptors and when the process started. Each is nil when its file
/// cannot be read.
public struct ProcessStatistics: Sendable {
    public var residentMemoryBytes: Int?
    public var openFileDescriptors: Int?
    /// Seconds since the Unix epoch.
    public var startTimeSeconds: Double?

    /// The statistics of the calling process now.
    public static func current() -> ProcessStatistics {
        ProcessStatistics(
            residentMemoryBytes: residentMemory(), openFileDescriptors: openFileDescriptors(), startTimeSeconds: startTime())
    }

    /// `/proc/self/statm`'s second field (resident pages) times the page size.
    static func residentMemory() -> Int? {
        guard let statm = readSmallFile("/proc/self/statm") else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The entries of `/proc/self/fd`, less the one the listing itself holds open.
    static func openFileDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return count - 1
    }

    /// The boot time (`btime` in `/proc/stat`) plus the process's start in clock ticks after
    /// boot (field 22 of `/proc/self/stat`).
    static func startTime() -> Double? {
        guard let stat = readSmallFile("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name in parentheses start at field 3 (state).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let system = readSmallFile("/proc/stat"),
              let line = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst("btime ".count)) else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `/proc` file's text (their size is 0 to `stat`, so read until the end).
    static func readSmallFile(_ path: String) -> String? {
        guard let descriptor = try? Syscall.retrying("open", device: path, { open(path, O_RDONLY | O_CLOEXEC) }) else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let count = try? Syscall.retrying("read", device: path, { chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) } }),
                  count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
