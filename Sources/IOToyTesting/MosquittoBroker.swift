import Foundation
import Synchronization

/// A real Mosquitto broker (Debian's `mosquitto`) for tests: its own directory, a free
/// loopback port, a password file and an ACL. The users are ``users``; `observer` may read and
/// write everything, `iotoyd` what ``defaultACL`` gives it unless a test passes its own.
public final class MosquittoBroker: Sendable {
    public let port: Int
    public let directory: URL
    private let process = Mutex<Process?>(nil)

    /// User name → password.
    public static let users = ["iotoyd": "robot-secret", "observer": "watch-secret"]

    /// `iotoyd` may use its own topics and Home Assistant's discovery topics.
    public static let defaultACL = """
        user iotoyd
        topic readwrite iotoy/#
        topic readwrite homeassistant/#

        user observer
        topic readwrite #
        """

    public static let brokerBinary = "/usr/sbin/mosquitto"

    /// With `tls`: the CA, and the client certificate and key it signed (CN `robocat`).
    public let tlsFiles: (caFile: String, certFile: String, keyFile: String)?

    /// Starts a broker; fails when Mosquitto is not installed (apt-get install mosquitto mosquitto-clients).
    /// `tls`: the listener speaks TLS only, with a server certificate for 127.0.0.1 from a CA
    /// made for the test, and asks every client for a certificate from that CA.
    public init(acl: String = MosquittoBroker.defaultACL, tls: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.brokerBinary) else {
            throw BrokerError.notInstalled("no \(Self.brokerBinary): apt-get install mosquitto mosquitto-clients")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoy-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let passwords = directory.appendingPathComponent("passwd")
        _ = FileManager.default.createFile(atPath: passwords.path, contents: nil)
        for (user, password) in Self.users.sorted(by: { $0.key < $1.key }) {
            try Self.run("/usr/bin/mosquitto_passwd", ["-b", passwords.path, user, password])
        }
        try acl.write(to: directory.appendingPathComponent("acl"), atomically: true, encoding: .utf8)
        var tlsSettings = ""
        if tls {
            try Self.makeCertificates(in: directory)
            let folder = directory
            let file = { (name: String) in folder.appendingPathComponent(name).path }
            tlsFiles = (file("ca.crt"), file("client.crt"), file("client.key"))
            tlsSettings = "cafile \(file("ca.crt"))\ncertfile \(file("server.crt"))\nkeyfile \(file("server.key"))\nrequire_certificate true\n"
        } else {
            tlsFiles = nil
        }
        let configuration = """
            listener \(port) 127.0.0.1
            \(tlsSettings)
            allow_anonymous false
            password_file \(passwords.path)
            acl_file \(directory.appendingPathComponent("acl").path)
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """
        try configuration.write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts (again, after ``stop()``) on the same port; returns once it listens.
    public func start() throws {
        let broker = Process()
        broker.executableURL = URL(fileURLWithPath: Self.brokerBinary)
        broker.arguments = ["-c", directory.appendingPathComponent("mosquitto.conf").path]
        let errors = Pipe()
        broker.standardError = errors
        broker.standardOutput = FileHandle.nullDevice
        try broker.run()
        // Blocking reads of the broker's log until it runs; a test process, not an event loop.
        var log = ""
        while !log.contains(" running") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty {
                throw BrokerError.didNotStart(log)
            }
            log += String(decoding: chunk, as: UTF8.self)
        }
        // Keep draining its log so the broker never blocks on a full pipe.
        // At end of file the handler is taken off: a handler left on a pipe whose writer has gone
        // is called without end, and libdispatch crashed once when the handle closed under it.
        errors.fileHandleForReading.readabilityHandler = { handle in
            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
        }
        process.withLock { $0 = broker }
    }

    /// Stops the broker and waits for it to exit. SIGKILL: a child of Foundation's `Process`
    /// inherits a blocked signal mask, so it would never see SIGTERM.
    public func stop() {
        guard let broker = process.withLock({ current -> Process? in defer { current = nil }; return current }) else { return }
        kill(broker.processIdentifier, SIGKILL)
        broker.waitUntilExit()
    }

    /// Watches `filter` (ending in `#`) as `user` with `mosquitto_sub`, the reference
    /// command-line client; returns once it is subscribed (a probe it sees itself).
    public func observe(_ filter: String, user: String = "observer") async throws -> TopicObserver {
        let observer = try TopicObserver(port: port, filter: filter, user: user, password: Self.users[user] ?? "")
        let probe = String(filter.dropLast()) + "_observer_probe"
        for _ in 0..<50 {
            try publish(probe, "probe", user: user)
            if await observer.first(on: probe, within: .milliseconds(200)) != nil { return observer }
        }
        throw BrokerError.didNotStart("mosquitto_sub never saw its probe on \(probe)")
    }

    /// Publishes with `mosquitto_pub` and returns once it is sent.
    public func publish(_ topic: String, _ payload: String, user: String = "observer", retain: Bool = false) throws {
        try Self.run("/usr/bin/mosquitto_pub", [
            "-h", "127.0.0.1", "-p", "\(port)", "-u", user, "-P", Self.users[user] ?? "", "-t", topic, "-m", payload,
        ] + (retain ? ["-r"] : []))
    }

    /// A CA, a server certificate for 127.0.0.1 and a client certificate, with openssl; every
    /// file readable by the broker (it drops to the mosquitto user).
    static func makeCertificates(in directory: URL) throws {
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        let openssl = "/usr/bin/openssl"
        try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.crt"),
                          "-days", "2", "-subj", "/CN=iotoy test CA"])
        for (name, subject, extensions) in [("server", "/CN=127.0.0.1", true), ("client", "/CN=robocat", false)] {
            try run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
            try run(openssl, ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                              "-CAcreateserial", "-out", path("\(name).crt"), "-days", "2"] + (extensions ? ["-extfile", path("san.ext")] : []))
        }
        for name in ["ca.crt", "server.crt", "server.key", "client.crt", "client.key"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(name))
        }
    }

    static func run(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BrokerError.commandFailed("\(path) \(arguments.joined(separator: " "))") }
    }

    /// A loopback port nobody listens on now.
    static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        guard bound else { throw BrokerError.didNotStart("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public enum BrokerError: Error, CustomStringConvertible {
        case notInstalled(String), didNotStart(String), commandFailed(String)
        public var description: String {
            switch self {
            case .notInstalled(let text), .didNotStart(let text), .commandFailed(let text): text
            }
        }
    }
}
