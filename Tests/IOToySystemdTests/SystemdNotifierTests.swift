#if canImport(Glibc)
import Glibc
#endif
import IOToySystemd
import Testing

/// The notifications as systemd receives them: a datagram socket of our own stands in for
/// `$NOTIFY_SOCKET`, by path and in the abstract namespace.
@Suite struct SystemdNotifierTests {
    /// A bound `SOCK_DGRAM` Unix socket at `name` (`@…`: abstract) that receives one datagram.
    final class Listener {
        let descriptor: Int32
        let path: String

        init(path: String) throws {
            self.path = path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(descriptor >= 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            let abstract = bytes.first == UInt8(ascii: "@")
            if abstract { bytes[0] = 0 } else { unlink(path) }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            try #require(bound == 0, "bind \(path): errno \(errno)")
        }

        /// The next datagram (already sent: the call does not wait).
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count >= 0 else { return nil }
            return String(decoding: buffer.prefix(count), as: UTF8.self)
        }

        deinit {
            close(descriptor)
            if !path.hasPrefix("@") { unlink(path) }
        }
    }

    static func uniqueName() -> String { "iotoyd-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    @Test func readyReachesASocketByPath() throws {
        let listener = try Listener(path: "/tmp/\(Self.uniqueName())")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        #expect(notifier.isActive)
        try notifier.ready(status: "serving 3 components on port 5000")
        #expect(listener.receive() == "READY=1\nSTATUS=serving 3 components on port 5000\n")
    }

    @Test func everyNotificationInTheAbstractNamespace() throws {
        let listener = try Listener(path: "@\(Self.uniqueName())")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        try notifier.watchdog()
        #expect(listener.receive() == "WATCHDOG=1\n")
        try notifier.reloading(monotonicMicroseconds: 123_456)
        #expect(listener.receive() == "RELOADING=1\nMONOTONIC_USEC=123456\nSTATUS=reloading the board file\n")
        try notifier.stopping()
        #expect(listener.receive()?.hasPrefix("STOPPING=1\n") == true)
    }

    @Test func withoutSystemdNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isActive)
        try notifier.ready(status: "ignored")
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]).isActive)
    }

    @Test func aSocketNobodyListensOnIsAnErrorNotACrash() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/\(Self.uniqueName())-absent"])
        #expect(throws: SystemdError.self) { try notifier.watchdog() }
        let tooLong = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/" + String(repeating: "x", count: 200)])
        #expect(throws: SystemdError.self) { try tooLong.watchdog() }
    }

    @Test func theWatchdogIsForThisProcessOnly() {
        let settings = WatchdogSettings(environment: ["WATCHDOG_USEC": "9000000"], processID: 42)
        #expect(settings?.interval == .seconds(9))
        #expect(settings?.pingInterval == .seconds(3))
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "9000000", "WATCHDOG_PID": "42"], processID: 42) != nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "9000000", "WATCHDOG_PID": "41"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "9000000", "WATCHDOG_PID": ""], processID: 42) != nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "0"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "ten"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: [:], processID: 42) == nil)
    }
}
