import CAvahi

/// One session's entry group: adds the service when the daemon's server runs, follows name
/// collisions to Avahi's alternatives, and reports to its advertiser.
///
/// Lives on Avahi's thread: every method except ``init`` is called there with the poll lock
/// held (or, for ``withdraw()``, inside ``AvahiSession/withLock(_:)``), so its state needs no
/// lock of its own.
final class ServiceRegistration: @unchecked Sendable {
    /// What the registration tells its owner.
    struct Reports: Sendable {
        var waitingForDaemon: @Sendable (String) -> Void
        var established: @Sendable (String) -> Void
        var renamed: @Sendable (_ from: String, _ to: String) -> Void
        /// The session cannot go on: close it and try again later.
        var failed: @Sendable (DiscoveryError) -> Void
    }

    /// Renames tried in one go before giving up (Avahi numbers alternatives `#2`, `#3`…).
    static let maximumRenames = 100

    private let service: AdvertisedService
    private let reports: Reports
    private(set) var claim: ServiceNameClaim
    private var group: OpaquePointer?
    private var established = false

    init(service: AdvertisedService, claim: ServiceNameClaim, reports: Reports) {
        self.service = service
        self.claim = claim
        self.reports = reports
    }

    /// Follows the session's client.
    func handle(_ event: AvahiSession.Event) {
        switch event {
        case .running(let client):
            register(with: client)
        case .registering:
            // The host name is being re-established: withdraw until the server runs again.
            if let group { avahi_entry_group_reset(group) }
            established = false
        case .waitingForDaemon:
            reports.waitingForDaemon("avahi-daemon is not running")
        case .lost:
            // The group was freed with the old client. Start again from the preferred name:
            // whoever had it may have gone too.
            group = nil
            claim = ServiceNameClaim(preferred: claim.preferred)
            established = false
            reports.waitingForDaemon("avahi-daemon went away")
        case .failed(let error):
            reports.failed(error)
        }
    }

    /// Frees the entry group, which withdraws the service. Returns the name it was
    /// established under, if it was.
    func withdraw() -> String? {
        if let group { avahi_entry_group_free(group) }
        group = nil
        defer { established = false }
        return established ? claim.current : nil
    }

    private func register(with client: OpaquePointer) {
        if group == nil {
            let userdata = Unmanaged.passUnretained(self).toOpaque()
            guard let created = avahi_entry_group_new(client, entryGroupCallback, userdata) else {
                reports.failed(DiscoveryError(avahiCode: avahi_client_errno(client), operation: "avahi_entry_group_new"))
                return
            }
            group = created
        }
        if let group, avahi_entry_group_is_empty(group) != 0 { addService(to: group) }
    }

    /// Adds the service under the claimed name and commits; a name already taken on this host
    /// (Avahi knows at once) moves to the next alternative.
    private func addService(to group: OpaquePointer) {
        service.txt.withAvahiStringList { txt in addService(to: group, txt: txt) }
    }

    private func addService(to group: OpaquePointer, txt: UnsafeMutablePointer<AvahiStringList>?) {
        for _ in 0..<Self.maximumRenames {
            let added = avahi_entry_group_add_service_strlst(
                group, AvahiIfIndex(service.interface?.index ?? Int32(AVAHI_IF_UNSPEC)),
                AvahiProtocol(service.interface.map { $0.isIPv6 ? Int32(AVAHI_PROTO_INET6) : Int32(AVAHI_PROTO_INET) } ?? Int32(AVAHI_PROTO_UNSPEC)),
                AvahiPublishFlags(rawValue: 0),
                claim.current, service.type, nil, nil, UInt16(service.port), txt)
            if added == Int32(AVAHI_ERR_COLLISION) {
                rename()
                avahi_entry_group_reset(group)
                continue
            }
            guard added >= 0 else {
                reports.failed(DiscoveryError(avahiCode: added, operation: "publishing '\(claim.current)'"))
                return
            }
            let committed = avahi_entry_group_commit(group)
            if committed < 0 { reports.failed(DiscoveryError(avahiCode: committed, operation: "committing '\(claim.current)'")) }
            return
        }
        reports.failed(.avahi(operation: "finding a free name for '\(claim.preferred)'", code: Int32(AVAHI_ERR_COLLISION)))
    }

    private func rename() {
        let old = claim.current
        reports.renamed(old, claim.collided())
    }

    /// The entry group's state changed (Avahi's thread, lock held; or inside `avahi_entry_group_new`).
    fileprivate func groupChanged(_ changed: OpaquePointer?, _ state: AvahiEntryGroupState) {
        guard let changed else { return }
        switch state {
        case AVAHI_ENTRY_GROUP_ESTABLISHED:
            established = true
            reports.established(claim.current)
        case AVAHI_ENTRY_GROUP_COLLISION:
            // Another host has the name: take the next alternative and publish again.
            established = false
            rename()
            avahi_entry_group_reset(changed)
            addService(to: changed)
        case AVAHI_ENTRY_GROUP_FAILURE:
            established = false
            let client = avahi_entry_group_get_client(changed)
            let code = client.map { avahi_client_errno($0) } ?? Int32(AVAHI_ERR_FAILURE)
            reports.failed(DiscoveryError(avahiCode: code, operation: "registering '\(claim.current)'"))
        default:
            break
        }
    }
}

/// `AvahiEntryGroupCallback`: finds the registration in `userdata` and passes the change on.
private let entryGroupCallback: AvahiEntryGroupCallback = { group, state, userdata in
    guard let userdata else { return }
    Unmanaged<ServiceRegistration>.fromOpaque(userdata).takeUnretainedValue().groupChanged(group, state)
}
