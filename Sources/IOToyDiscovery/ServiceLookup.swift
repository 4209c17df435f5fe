import CAvahi

/// Browses for a service type, or resolves one instance by name, on Avahi's thread, and
/// reports each resolution through an `AsyncStream`.
///
/// Every method except ``init`` runs on Avahi's thread with the poll lock held; the browser and
/// resolvers are freed with the session's client.
final class ServiceLookup: @unchecked Sendable {
    /// What to look up.
    enum Target: Sendable {
        /// Every instance of a type, each resolved on the interface and protocol it was seen on.
        case browse(type: String)
        /// One instance by its exact name, its IPv4 and its IPv6 address.
        case resolve(name: String, type: String)
    }

    /// What the lookup reports.
    enum Signal: Sendable {
        case resolved(ResolvedInstance)
        /// Nothing more is expected: the browser said "all for now" and every resolver finished.
        case finished
        case failed(DiscoveryError)
    }

    private let target: Target
    private let signals: AsyncStream<Signal>.Continuation
    private var started = false
    private var browsingFinished = false
    private var pendingResolvers = 0

    init(target: Target, signals: AsyncStream<Signal>.Continuation) {
        self.target = target
        self.signals = signals
    }

    /// Follows the session's client: starts the lookup once the daemon's server runs.
    func handle(_ event: AvahiSession.Event) {
        switch event {
        case .running(let client):
            guard !started else { return }
            started = true
            start(client)
        case .failed(let error):
            signals.yield(.failed(error))
        case .lost:
            signals.yield(.failed(.daemonUnavailable("avahi-daemon went away")))
        case .registering, .waitingForDaemon:
            break
        }
    }

    private var userdata: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    private func start(_ client: OpaquePointer) {
        let anyInterface = AvahiIfIndex(AVAHI_IF_UNSPEC)
        switch target {
        case .browse(let type):
            guard avahi_service_browser_new(
                client, anyInterface, AvahiProtocol(AVAHI_PROTO_UNSPEC), type, nil, AvahiLookupFlags(rawValue: 0), browserCallback, userdata) != nil
            else {
                signals.yield(.failed(DiscoveryError(avahiCode: avahi_client_errno(client), operation: "browsing \(type)")))
                return
            }
        case .resolve(let name, let type):
            browsingFinished = true
            // One resolver per family, each over its own transport: Avahi publishes A records
            // over IPv4 and AAAA over IPv6 only, so an A query sent over IPv6 times out.
            for family in [AvahiProtocol(AVAHI_PROTO_INET), AvahiProtocol(AVAHI_PROTO_INET6)] {
                startResolver(client, anyInterface, family, name: name, type: type, domain: nil, family: family)
            }
            if pendingResolvers == 0 {
                signals.yield(.failed(DiscoveryError(avahiCode: avahi_client_errno(client), operation: "resolving '\(name)'")))
            }
        }
    }

    private func startResolver(
        _ client: OpaquePointer, _ interface: AvahiIfIndex, _ transport: AvahiProtocol,
        name: String, type: String, domain: String?, family: AvahiProtocol
    ) {
        let resolver = avahi_service_resolver_new(
            client, interface, transport, name, type, domain, family, AvahiLookupFlags(rawValue: 0), resolverCallback, userdata)
        if resolver != nil { pendingResolvers += 1 }
    }

    fileprivate func browserEvent(
        _ browser: OpaquePointer?, _ interface: AvahiIfIndex, _ transport: AvahiProtocol, _ event: AvahiBrowserEvent,
        _ name: String, _ type: String, _ domain: String
    ) {
        switch event {
        case AVAHI_BROWSER_NEW:
            guard let client = browser.flatMap(avahi_service_browser_get_client) else { return }
            // Ask for the address family the service was seen with: IPv4 entries give A
            // records, IPv6 entries AAAA records.
            startResolver(client, interface, transport, name: name, type: type, domain: domain, family: transport)
        case AVAHI_BROWSER_ALL_FOR_NOW:
            browsingFinished = true
            finishIfDone()
        case AVAHI_BROWSER_FAILURE:
            let code = browser.flatMap(avahi_service_browser_get_client).map(avahi_client_errno) ?? Int32(AVAHI_ERR_FAILURE)
            signals.yield(.failed(DiscoveryError(avahiCode: code, operation: "browsing")))
        default:
            break
        }
    }

    fileprivate func resolverEvent(_ resolver: OpaquePointer?, _ found: ResolvedInstance?) {
        if let found { signals.yield(.resolved(found)) }
        if let resolver { avahi_service_resolver_free(resolver) }
        pendingResolvers -= 1
        finishIfDone()
    }

    private func finishIfDone() {
        if browsingFinished, pendingResolvers == 0 { signals.yield(.finished) }
    }
}

/// One resolution: a service instance as seen on one interface with one address.
struct ResolvedInstance: Sendable, Hashable {
    let name: String
    let type: String
    let domain: String
    let hostName: String
    let address: ServiceAddress?
    let port: Int
    let txt: TXTRecord
}

/// `AvahiServiceBrowserCallback`.
private let browserCallback: AvahiServiceBrowserCallback = { browser, interface, transport, event, name, type, domain, _, userdata in
    guard let userdata else { return }
    Unmanaged<ServiceLookup>.fromOpaque(userdata).takeUnretainedValue().browserEvent(
        browser, interface, transport, event,
        name.map { String(cString: $0) } ?? "", type.map { String(cString: $0) } ?? "", domain.map { String(cString: $0) } ?? "")
}

/// `AvahiServiceResolverCallback`.
private let resolverCallback: AvahiServiceResolverCallback = {
    resolver, interface, _, event, name, type, domain, hostName, address, port, txt, _, userdata in
    guard let userdata else { return }
    var found: ResolvedInstance?
    if event == AVAHI_RESOLVER_FOUND, let name, let type {
        found = ResolvedInstance(
            name: String(cString: name), type: String(cString: type), domain: domain.map { String(cString: $0) } ?? "local",
            hostName: hostName.map { String(cString: $0) } ?? "",
            address: address.flatMap { ServiceAddress(avahi: $0, interface: interface) },
            port: Int(port), txt: TXTRecord(avahi: txt))
    }
    Unmanaged<ServiceLookup>.fromOpaque(userdata).takeUnretainedValue().resolverEvent(resolver, found)
}
