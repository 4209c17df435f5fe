import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stands in for systemd's `$NOTIFY_SOCKET`: a datagram socket whose messages a reader thread
/// collects; tests wait for one to arrive (woken by the reader, no polling).
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let messages = LogBuffer()

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-notify-\(UUID().uuidString.prefix(8))").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError.failed("socket") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw RawConnectionError.failed("bind \(path)") }
        let reading = descriptor, messages = messages
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(reading, $0.baseAddress, $0.count, 0) }
                if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self) + "\u{1e}") }
                if count < 0, errno != EAGAIN, errno != EINTR { return }
            }
        }
    }

    /// Every datagram so far, each ended by U+001E.
    var received: String { messages.text }

    /// Waits until a datagram containing `needle` has arrived (after `skipping` characters).
    func wait(for needle: String, after skipping: Int = 0, timeout: Double = 30) async -> Bool {
        await messages.wait(for: needle, after: skipping, timeout: timeout)
    }

    deinit {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        unlink(path)
    }
}
