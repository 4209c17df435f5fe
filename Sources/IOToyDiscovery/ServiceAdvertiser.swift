import Logging
import Synchronization

/// Publishes a service through the system's avahi-daemon for as long as ``run()`` runs.
///
/// iotoyd never starts an mDNS responder of its own: Avahi already runs on Raspberry Pi OS.
/// The advertiser
/// - publishes `<name>._iotoy._tcp` with its TXT record on the given port;
/// - on a name collision takes Avahi's alternative name (`robocat #2`) and logs it;
/// - follows avahi-daemon restarts, publishing again when the daemon is back;
/// - when no daemon (or no system D-Bus) is reachable, logs one warning, keeps trying quietly
///   in the background, and never stops the caller;
/// - withdraws the service when ``run()`` is cancelled.
public final class ServiceAdvertiser: Sendable {
    /// What is published.
    public let service: AdvertisedService
    /// What happened, in order (newest kept when nobody reads).
    public let events: AsyncStream<AdvertiserEvent>

    private let continuation: AsyncStream<AdvertiserEvent>.Continuation
    private let logger: Logger
    private let retryDelays: RetryDelays
    private let status: Mutex<Status>

    private struct Status {
        var advertisedName: String?
        var warnedUnavailable = false
    }

    /// Back-off between attempts to reach avahi-daemon after the first failure.
    public struct RetryDelays: Sendable {
        public var first: Duration
        public var maximum: Duration

        public init(first: Duration = .seconds(2), maximum: Duration = .seconds(30)) {
            self.first = first
            self.maximum = maximum
        }
    }

    public init(service: AdvertisedService, logger: Logger, retryDelays: RetryDelays = RetryDelays()) {
        self.service = service
        self.logger = logger
        self.retryDelays = retryDelays
        self.status = Mutex(Status())
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    /// The name the service is on the network under right now, nil when it is not published.
    public var advertisedName: String? { status.withLock { $0.advertisedName } }

    /// Advertises until the task is cancelled, then withdraws the service and returns.
    public func run() async {
        var delay = retryDelays.first
        defer { continuation.finish() }
        while !Task.isCancelled {
            let failure = await runSession()
            guard let failure else { return }
            if case .daemonUnavailable(let reason) = failure {
                waitingForDaemon(reason)
            } else {
                logger.warning("mDNS advertisement failed; trying again", metadata: ["error": "\(failure)"])
                continuation.yield(.failed(reason: failure.description))
            }
            logger.debug("next attempt to reach avahi-daemon", metadata: ["in": "\(delay)"])
            do { try await Task.sleep(for: delay) } catch { return }
            delay = min(delay * 2, retryDelays.maximum)
        }
    }

    /// One connection to the daemon: until it fails (returned) or the task is cancelled (nil).
    private func runSession() async -> DiscoveryError? {
        let (failures, failure) = AsyncStream.makeStream(of: DiscoveryError.self, bufferingPolicy: .bufferingNewest(1))
        let registration = ServiceRegistration(
            // Each connection starts from the preferred name: whoever held it may have gone.
            service: service, claim: ServiceNameClaim(preferred: service.name),
            reports: .init(
                waitingForDaemon: { [self] in waitingForDaemon($0) },
                established: { [self] in established($0) },
                renamed: { [self] in renamed(from: $0, to: $1) },
                failed: { failure.yield($0) }))
        let session: AvahiSession
        do {
            session = try AvahiSession.open(waitsForDaemon: true) { registration.handle($0) }
        } catch {
            return error
        }
        var result: DiscoveryError?
        await withTaskCancellationHandler {
            for await error in failures {
                result = error
                break
            }
        } onCancel: {
            failure.finish()
        }
        let withdrawn = session.withLock { _ in registration.withdraw() }
        session.close()
        status.withLock { $0.advertisedName = nil }
        if let withdrawn {
            logger.info("withdrew the mDNS advertisement", metadata: ["name": "\(withdrawn)"])
            continuation.yield(.withdrawn(name: withdrawn))
        }
        return result
    }

    private func waitingForDaemon(_ reason: String) {
        let first = status.withLock { status in
            status.advertisedName = nil
            defer { status.warnedUnavailable = true }
            return !status.warnedUnavailable
        }
        if first {
            logger.warning(
                "mDNS: \(reason); '\(service.name)' will be advertised once it runs (HTTP is served all the same)")
        } else {
            logger.debug("mDNS: still waiting for avahi-daemon", metadata: ["reason": "\(reason)"])
        }
        continuation.yield(.waitingForDaemon(reason: reason))
    }

    private func established(_ name: String) {
        status.withLock { status in
            status.advertisedName = name
            status.warnedUnavailable = false
        }
        logger.info("mDNS: advertising '\(name)' (\(service.type), port \(service.port), TXT \(service.txt))")
        continuation.yield(.established(name: name))
    }

    private func renamed(from old: String, to new: String) {
        logger.warning("mDNS: the name '\(old)' is taken on the network; advertising as '\(new)'")
        continuation.yield(.renamed(from: old, to: new))
    }
}
