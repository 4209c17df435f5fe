import Foundation
import Testing

/// iotoyd on a machine without avahi-daemon: one warning, HTTP served all the same.
/// (With a daemon: Tests/mdns/run.sh.)
@Suite(.serialized, .enabled(if: !FileManager.default.fileExists(atPath: "/run/avahi-daemon/pid"), "avahi-daemon runs here"))
struct AdvertisingTests {
    @Test func withoutAvahiDaemonIotoydWarnsOnceAndServes() async throws {
        let daemon = try Daemon()
        defer { _ = daemon.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !daemon.log.contains("mDNS:"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .seconds(2.5))                // past the first retry
        let warnings = daemon.log.split(separator: "\n").filter { $0.contains("warning") && $0.contains("mDNS") }
        #expect(warnings.count == 1, "\(daemon.log)")
        #expect(warnings.first?.contains("avahi-daemon is not running; 'robocat' will be advertised once it runs") == true)
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        #expect(daemon.stop() == 0)
    }

    @Test func noAdvertiseKeepsQuietAboutMDNS() async throws {
        let daemon = try Daemon(["--no-advertise"])
        defer { _ = daemon.stop() }
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!daemon.log.contains("mDNS"))
    }
}
