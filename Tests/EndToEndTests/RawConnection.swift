import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection for sending bytes no HTTP client would send (a half request, an
/// unknown method, a 100 KB URL) and reading what the server answers until it closes.
/// Blocking socket calls with a receive timeout: this is a test process, not an event loop.
struct RawConnection {
    let descriptor: Int32

    init(port: Int, receiveTimeoutSeconds: Int = 15) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError.failed("socket") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw RawConnectionError.failed("connect")
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            sent += written
        }
    }

    /// Everything the server sends until it closes the connection (or the receive timeout
    /// passes: then `closedByServer` is false).
    func readToEnd() -> (text: String, closedByServer: Bool) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (String(decoding: data, as: UTF8.self), true) }
            if count < 0 { return (String(decoding: data, as: UTF8.self), errno == ECONNRESET) }
            data += buffer[0..<count]
        }
    }

    /// Reads until what was read (including `already`) contains `needle`; nil when the
    /// connection closes or the receive timeout passes first.
    func read(until needle: String, after already: inout String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !already.contains(needle) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return false }
            already += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return true
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

enum RawConnectionError: Error {
    case failed(String)
}
