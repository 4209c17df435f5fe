import IOToyDiscovery
import Logging
import ServiceLifecycle

/// Advertises the device as `<device>._iotoy._tcp` through avahi-daemon once the HTTP server
/// has bound its port, and withdraws it on graceful shutdown (it is the last service of the
/// group, so the first to stop). Without a reachable avahi-daemon it logs one warning and
/// keeps trying in the background; HTTP is served all the same.
struct AdvertisingService: Service, CustomStringConvertible {
    /// The bound HTTP port, once the server runs.
    let boundPorts: AsyncStream<Int>
    let logger: Logger
    /// The name to advertise, once it is known (a serial device's own id comes when it
    /// answers); nil when it never will be (shutdown).
    let deviceName: @Sendable () async -> String?
    /// `auth=token` in the TXT record: clients know to ask for a token.
    var requiresTokens = false
    /// Bound to one address: advertised on its interface only.
    var interface: (index: Int32, isIPv6: Bool)?

    var description: String { "AdvertisingService" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var ports = boundPorts.makeAsyncIterator()
            guard let port = await ports.next(), let device = await deviceName() else { return }
            var txt = (try? TXTRecord.iotoy(version: IOToyVersion.string)) ?? TXTRecord()
            if requiresTokens, let withAuth = try? txt.adding("auth", "token") { txt = withAuth }
            let advertiser = ServiceAdvertiser(service: AdvertisedService(name: device, port: port, txt: txt, interface: interface), logger: logger)
            await advertiser.run()
        }
    }
}
