import Foundation
import IOToyCore
import Testing

/// iotoyd on a machine without avahi-daemon: one warning, HTTP served all the same.
/// (With a daemon: Tests/mdns/run.sh.)
@Suite(.serialized, .enabled(if: !FileManager.default.fileExists(atPath: "/run/avahi-daemon/pid"), "avahi-daemon runs here"))
struct AdvertisingTests {
    @Test func withoutAvahiDaemonIotoydWarnsOnceAndServes() async throws {
        let daemon = try await Daemon(["--log-level", "debug"], advertise: true, bind: "0.0.0.0")
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("mDNS:"), "\(daemon.log)")
        // Past the first retries (woken by the log lines, not by sleeping).
        #expect(await daemon.waitForLog("next attempt to reach avahi-daemon", timeout: 15))
        let first = daemon.log.range(of: "next attempt to reach avahi-daemon")!.upperBound
        #expect(await daemon.waitForLog("next attempt to reach avahi-daemon", after: daemon.log.distance(from: daemon.log.startIndex, to: first), timeout: 15))
        let warnings = daemon.log.split(separator: "\n").filter { $0.contains("warning") && $0.contains("mDNS") }
        #expect(warnings.count == 1, "\(daemon.log)")
        #expect(warnings.first?.contains("avahi-daemon is not running; 'robocat' will be advertised once it runs") == true)
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        #expect(daemon.stop() == 0)
    }

    @Test func boundToLoopbackItIsNotAdvertised() async throws {
        let daemon = try await Daemon(advertise: true)    // --bind 127.0.0.1
        defer { _ = daemon.stop() }
        #expect(await daemon.waitForLog("bound to 127.0.0.1: not advertised over mDNS"), "\(daemon.log)")
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        #expect(daemon.stop() == 0)
        #expect(!daemon.log.contains("avahi-daemon is not running"))
    }

    @Test func noAdvertiseKeepsQuietAboutMDNS() async throws {
        let daemon = try await Daemon()   // --no-advertise
        defer { _ = daemon.stop() }
        #expect(try await daemon.request(.get, "/eyes").status == 200)
        #expect(daemon.stop() == 0)
        #expect(await daemon.waitForLog("hardware in safe state and released"), "the whole run is in the log")
        #expect(!daemon.log.contains("mDNS"))
    }
}

/// The daemon's log for people, for journald and for log shippers.
@Suite struct LogFormatTests {
    @Test func jsonIsOneObjectPerLineWithTimeLevelMessageAndMetadata() async throws {
        let daemon = try await Daemon(["--log-format", "json", "--log-level", "debug"])
        _ = try await daemon.request(.get, "/eyes")
        #expect(daemon.stop() == 0)
        let lines = daemon.log.split(separator: "\n").dropFirst()          // the first line is the banner (stdout)
        #expect(lines.count >= 2)
        for line in lines {
            let object = try? JSONCoding.decode(JSONValue.self, from: Array(line.utf8))
            #expect(object?["level"] != nil && object?["message"] != nil && object?["time"] != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""message":"hardware in safe state and released""#) })
    }

    @Test func underSystemdEachLineCarriesItsSyslogPriority() async throws {
        let daemon = try await Daemon(["--log-level", "debug"], environment: ["JOURNAL_STREAM": "8:12345"])   // as systemd sets it
        #expect(daemon.stop() == 0)
        let lines = daemon.log.split(separator: "\n").dropFirst()
        #expect(!lines.isEmpty)
        for line in lines { #expect(line.range(of: #"^<[2-7]>"#, options: .regularExpression) != nil, "\(line)") }
        #expect(lines.contains { $0.hasPrefix("<6>iotoyd: hardware in safe state and released") })
    }
}
