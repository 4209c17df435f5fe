/// A DNS-SD service to publish: `<name>._iotoy._tcp.local.` on `port` with a TXT record.
public struct AdvertisedService: Sendable, Hashable {
    /// The instance name asked for (the IOTOY device id).
    public let name: String
    /// The service type, `_iotoy._tcp`.
    public let type: String
    /// The TCP port clients connect to (the HTTP port).
    public let port: Int
    /// The TXT record.
    public let txt: TXTRecord
    /// Only on this interface and family (a server bound to one address); nil: everywhere.
    public let interface: (index: Int32, isIPv6: Bool)?

    public init(name: String, type: String = IOToyServiceType.name, port: Int, txt: TXTRecord, interface: (index: Int32, isIPv6: Bool)? = nil) {
        self.name = name
        self.type = type
        self.port = port
        self.txt = txt
        self.interface = interface
    }

    public static func == (lhs: AdvertisedService, rhs: AdvertisedService) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.port == rhs.port && lhs.txt == rhs.txt
            && lhs.interface?.index == rhs.interface?.index && lhs.interface?.isIPv6 == rhs.interface?.isIPv6
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(port)
        hasher.combine(interface?.index)
    }
}

/// The DNS-SD service type of IOTOY devices (docs/wire.md §3).
public enum IOToyServiceType {
    /// `_iotoy._tcp`.
    public static let name = "_iotoy._tcp"
}

/// What an advertiser did, in order, for logs and tests.
public enum AdvertiserEvent: Sendable, Hashable {
    /// avahi-daemon is not reachable (not running, or gone): nothing is advertised until it is.
    case waitingForDaemon(reason: String)
    /// The service is on the network under `name`.
    case established(name: String)
    /// `from` was taken on the network; the service moves to Avahi's alternative `to`.
    case renamed(from: String, to: String)
    /// Avahi refused the service; the advertiser will try again.
    case failed(reason: String)
    /// The service was withdrawn (shutdown).
    case withdrawn(name: String)
}
