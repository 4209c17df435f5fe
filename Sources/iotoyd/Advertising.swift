import IOToyDiscovery
import Logging
import ServiceLifecycle

/// Advertises the device as `<device>._iotoy._tcp` through avahi-daemon once the HTTP server
/// has bound its port, and withdraws it on graceful shutdown (it is the last service of the
/// group, so the first to stop). Without a reachable avahi-daemon it logs one warning and
/// keeps trying in the background; HTTP is served all the same.
struct AdvertisingService: Service, CustomStringConvertible {
    let device: String
    /// The bound HTTP port, once the server runs.
    let boundPorts: AsyncStream<Int>
    let logger: Logger

    var description: String { "AdvertisingService(\(device))" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var ports = boundPorts.makeAsyncIterator()
            guard let port = await ports.next() else { return }
            let txt = (try? TXTRecord.iotoy(version: IOToyVersion.string)) ?? TXTRecord()
            let advertiser = ServiceAdvertiser(service: AdvertisedService(name: device, port: port, txt: txt), logger: logger)
            await advertiser.run()
        }
    }
}
