#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the service is doing through `$NOTIFY_SOCKET`, by the documented
/// datagram protocol (`sd_notify(3)`: one `KEY=VALUE` line per field in one datagram on a
/// Unix socket). Written out rather than linked from libsystemd: the protocol is a dozen lines
/// and stable, and the package then needs no libsystemd at run time or to build.
///
/// Outside systemd (`NOTIFY_SOCKET` unset) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket's path; a leading `@` means Linux's abstract namespace.
    public let socketPath: String?

    /// The notifier for this process's environment.
    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
    }

    /// Whether systemd is listening.
    public var isActive: Bool { socketPath != nil }

    /// `READY=1`: the port is bound and the tree has started.
    public func ready(status: String) throws(SystemdError) { try send(["READY=1", "STATUS=\(status)"]) }

    /// `RELOADING=1` while the board file is re-read; ``ready(status:)`` ends it.
    public func reloading(monotonicMicroseconds: UInt64) throws(SystemdError) {
        try send(["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds)", "STATUS=reloading the board file"])
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() throws(SystemdError) { try send(["STOPPING=1", "STATUS=stopping: actuators to their safe states"]) }

    /// `WATCHDOG=1`: the event loops and every hardware owner answered.
    public func watchdog() throws(SystemdError) { try send(["WATCHDOG=1"]) }

    /// `STATUS=…`: one line shown by `systemctl status`.
    public func status(_ text: String) throws(SystemdError) { try send(["STATUS=\(text)"]) }

    /// Sends the fields as one datagram.
    public func send(_ fields: [String]) throws(SystemdError) {
        guard let socketPath else { return }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw SystemdError(operation: "NOTIFY_SOCKET \(socketPath)", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        // An abstract address's length counts its bytes exactly; a path's includes its NUL.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 0 : 1))
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SystemdError(operation: "socket", errno: errno) }
        defer { close(descriptor) }
        let message = Array((fields.joined(separator: "\n") + "\n").utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
        guard sent == message.count else { throw SystemdError(operation: "send to \(socketPath)", errno: errno) }
    }
}

/// A notification could not be sent.
public struct SystemdError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
