import IOToyDiscovery

/// The client's entry points: find devices on the network, and connect to one by name.
public enum IOToy {
    /// Connects to a device by mDNS name (`robocat`), `host:port`, or IP address, and reads its
    /// description: `let cat = try await IOToy.device("robocat")`.
    /// - Parameter lookupTimeout: how long to wait for the name to resolve over mDNS.
    /// - Parameter requestTimeout: how long one request may take.
    /// - Parameter token: an access token (`iotoyd token add`), sent as `Authorization: Bearer`.
    public static func device(
        _ address: String, lookupTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30), token: String? = nil
    ) async throws -> Device {
        try await device(at: DeviceAddress(parsing: address), lookupTimeout: lookupTimeout, requestTimeout: requestTimeout, token: token)
    }

    /// Connects to the device at `address` and reads its description. A name is resolved over
    /// mDNS and its addresses tried in order: IPv4 first, as the original client did, then IPv6.
    public static func device(
        at address: DeviceAddress, lookupTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30), token: String? = nil
    ) async throws -> Device {
        var lastFailure: (any Error)?
        for connection in try await connections(to: address, lookupTimeout: lookupTimeout, requestTimeout: requestTimeout, token: token) {
            do {
                return try await Device(connection: connection)
            } catch IOToyClientError.unreachable(let device, let url, let reason) {
                lastFailure = IOToyClientError.unreachable(device: device, url: url, reason: reason)
            }
        }
        throw lastFailure ?? IOToyClientError.unreachable(device: "\(address)", url: "-", reason: "it was found without an address")
    }

    /// The connections to try for `address`, in order, without sending anything.
    public static func connections(
        to address: DeviceAddress, lookupTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30), token: String? = nil
    ) async throws -> [IOToyConnection] {
        switch address {
        case .endpoint(let host, let port):
            let urlHost = host.contains(":") ? "[\(host.replacingPercent())]" : host
            return [IOToyConnection(urlHost: urlHost, port: port, deviceLabel: "\(address)", timeout: requestTimeout, token: token)]
        case .name(let name):
            let service: DiscoveredService
            do {
                service = try await ServiceDiscovery.resolve(name: name, timeout: lookupTimeout)
            } catch DiscoveryError.notFound {
                throw IOToyClientError.deviceNotFound(name: name)
            } catch DiscoveryError.daemonUnavailable(let reason) {
                throw IOToyClientError.discoveryUnavailable(name: name, reason: reason)
            }
            // IPv4 first, then routable IPv6, then link-local IPv6 with its zone (fe80::1%eth0).
            let usable = service.addresses.sorted()
            return usable.map { address in
                IOToyConnection(urlHost: address.urlHost, port: service.port, deviceLabel: "'\(name)'", timeout: requestTimeout, token: token)
            }
        }
    }

    /// The `_iotoy._tcp` services on the local network (through avahi-daemon), with their
    /// addresses, ports and TXT records.
    public static func browse(timeout: Duration = .seconds(3)) async throws -> [DiscoveredService] {
        try await ServiceDiscovery.browse(type: IOToyServiceType.name, timeout: timeout)
    }
}

extension String {
    /// A zone in an IPv6 literal (`fe80::1%eth0`) written for a URL (`fe80::1%25eth0`).
    fileprivate func replacingPercent() -> String {
        split(separator: "%", omittingEmptySubsequences: false).joined(separator: "%25")
    }
}
