import Foundation
import Logging
import Synchronization
import Testing
@testable import IOToyDiscovery

/// What happens on a machine with no avahi-daemon (this one, and CI outside the mDNS script):
/// the advertiser warns once and keeps trying; lookups fail at once with a clear reason.
@Suite(.enabled(if: !ThisMachine.avahiRuns, "avahi-daemon runs on this machine"))
struct WithoutDaemonTests {
    @Test func theAdvertiserWarnsOnceAndKeepsTrying() async throws {
        let log = CapturedLog()
        let advertiser = ServiceAdvertiser(
            service: AdvertisedService(name: "robocat", port: 5000, txt: try .iotoy(version: "0.1.0")),
            logger: Logger(label: "test") { _ in CapturingLogHandler(log: log) },
            retryDelays: .init(first: .milliseconds(10), maximum: .milliseconds(20)))
        let running = Task { await advertiser.run() }
        var events = advertiser.events.makeAsyncIterator()
        for _ in 0..<4 {
            guard case .waitingForDaemon = try #require(await events.next()) else {
                Issue.record("expected waitingForDaemon")
                break
            }
        }
        running.cancel()
        await running.value
        #expect(await events.next() == nil)
        #expect(advertiser.advertisedName == nil)
        let warnings = log.entries.withLock { $0.filter { $0.level == .warning } }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("'robocat' will be advertised once it runs") == true)
    }

    @Test func browsingAndResolvingFailAtOnce() async {
        for lookup in [{ _ = try await ServiceDiscovery.browse() }, { _ = try await ServiceDiscovery.resolve(name: "robocat") }] {
            do {
                try await lookup()
                Issue.record("a lookup without avahi-daemon succeeded")
            } catch let error as DiscoveryError {
                guard case .daemonUnavailable(let reason) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(reason == "avahi-daemon is not running")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}

enum ThisMachine {
    /// avahi-daemon keeps its pid file here while it runs.
    static let avahiRuns = FileManager.default.fileExists(atPath: "/run/avahi-daemon/pid")
}

/// Log lines kept for inspection.
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
    }

    let entries = Mutex<[Entry]>([])
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.entries.withLock { $0.append(.init(level: event.level, message: "\(event.message)")) }
    }
}
