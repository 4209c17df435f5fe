/// A service found on the network: every address it answered on, over IPv4 and IPv6.
public struct DiscoveredService: Sendable, Hashable {
    /// The instance name (an IOTOY device id, or Avahi's alternative such as `robocat #2`).
    public let name: String
    public let type: String
    public let domain: String
    /// The host it runs on, e.g. `raspberrypi.local`.
    public let hostName: String
    public let port: Int
    /// IPv4 first, then IPv6 (link-local last); no duplicates.
    public let addresses: [ServiceAddress]
    public let txt: TXTRecord

    public init(
        name: String, type: String, domain: String, hostName: String, port: Int,
        addresses: [ServiceAddress], txt: TXTRecord
    ) {
        self.name = name
        self.type = type
        self.domain = domain
        self.hostName = hostName
        self.port = port
        self.addresses = addresses
        self.txt = txt
    }
}

/// Finds `_iotoy._tcp` services through the system's avahi-daemon.
///
/// Both calls fail with ``DiscoveryError/daemonUnavailable(_:)`` at once when avahi-daemon is
/// not running, rather than waiting for it.
public enum ServiceDiscovery {
    /// Every instance of `type` on the local network, each resolved on every interface and
    /// address family it was seen on. Waits until Avahi has nothing more to report (about a
    /// second on a quiet network) or `timeout`, whichever comes first, and returns what was
    /// found, sorted by name.
    public static func browse(type: String = IOToyServiceType.name, timeout: Duration = .seconds(3)) async throws -> [DiscoveredService] {
        let found = try await lookUp(.browse(type: type), timeout: timeout)
        var order: [String] = []
        var byName: [String: [ResolvedInstance]] = [:]
        for instance in found {
            let key = "\(instance.name)\u{0}\(instance.type)\u{0}\(instance.domain)"
            if byName[key] == nil { order.append(key) }
            byName[key, default: []].append(instance)
        }
        return order.compactMap { byName[$0].map(merge) }.sorted { $0.name < $1.name }
    }

    /// The instance called exactly `name`, as the original IOTOY client resolved it, with its
    /// IPv4 and IPv6 addresses. Throws ``DiscoveryError/notFound(name:type:)`` when nothing
    /// answers within `timeout`.
    public static func resolve(
        name: String, type: String = IOToyServiceType.name, timeout: Duration = .seconds(5)
    ) async throws -> DiscoveredService {
        // After the first address arrives, give the other family a moment to follow.
        let found = try await lookUp(.resolve(name: name, type: type), timeout: timeout, settleAfterFirst: .milliseconds(500))
        guard !found.isEmpty else { throw DiscoveryError.notFound(name: name, type: type) }
        return merge(found)
    }

    /// One instance's resolutions as one service.
    static func merge(_ instances: [ResolvedInstance]) -> DiscoveredService {
        let first = instances[0]
        var addresses: [ServiceAddress] = []
        for address in instances.compactMap(\.address).sorted() where !addresses.contains(address) {
            addresses.append(address)
        }
        return DiscoveredService(
            name: first.name, type: first.type, domain: first.domain, hostName: first.hostName, port: first.port,
            addresses: addresses, txt: first.txt)
    }

    /// Runs a lookup on a session of its own until it finishes, fails or times out.
    private static func lookUp(
        _ target: ServiceLookup.Target, timeout: Duration, settleAfterFirst settle: Duration? = nil
    ) async throws -> [ResolvedInstance] {
        let (signals, continuation) = AsyncStream.makeStream(of: ServiceLookup.Signal.self)
        let lookup = ServiceLookup(target: target, signals: continuation)
        let session = try AvahiSession.open(waitsForDaemon: false) { lookup.handle($0) }
        defer { session.close() }
        let deadline = Task {
            try? await Task.sleep(for: timeout)
            continuation.finish()
        }
        var settling: Task<Void, Never>?
        defer {
            deadline.cancel()
            settling?.cancel()
        }
        var found: [ResolvedInstance] = []
        try await withTaskCancellationHandler {
            loop: for await signal in signals {
                switch signal {
                case .resolved(let instance):
                    found.append(instance)
                    if let settle, settling == nil {
                        settling = Task {
                            try? await Task.sleep(for: settle)
                            continuation.finish()
                        }
                    }
                case .finished:
                    break loop
                case .failed(let error):
                    throw error
                }
            }
        } onCancel: {
            continuation.finish()
        }
        return found
    }
}
