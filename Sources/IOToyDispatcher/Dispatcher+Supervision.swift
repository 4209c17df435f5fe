import IOToyCore
import IOToyDrivers
import IOToyHAL
import Logging

extension Dispatcher {
    /// The first wait before restarting a faulted component.
    static let firstBackoff: Duration = .milliseconds(500)
    /// The longest wait between two attempts to restart a faulted component: a device that
    /// comes back (a replugged cable, a sensor that answers again) is in use within a second,
    /// however long it was away. An attempt on a missing device costs one failed open or one
    /// NACKed transaction, so retrying every second costs nothing worth saving.
    static let maximumBackoff: Duration = .seconds(1)

    /// Starts every component, keeps sensors sampled and edges flowing, restarts faulted
    /// components with back-off, and runs until the task is cancelled. Then it puts every
    /// actuator into its safe state, releases the hardware and stops the owners.
    public func run() async {
        for mount in tree.mounts { startSupervising(mount) }
        // Until cancelled: a stream nobody feeds ends when its task is cancelled.
        let (untilCancelled, _) = AsyncStream.makeStream(of: Void.self)
        for await _ in untilCancelled {}
        let tasks = supervisors.close()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        closeSafety()
        await shutdownHardware()
        changes.finish()
    }

    /// Returns once every component has had its first start, whether it started or faulted
    /// (what `READY=1` waits for), or at shutdown.
    public func waitUntilStarted() async {
        await supervisors.waitUntilStarted()
    }

    /// Supervises `mount` in a task of its own, so a reload can retire it alone.
    func startSupervising(_ mount: Mount) {
        let task = Task { await self.supervise(mount) }
        supervisors.add(ObjectIdentifier(mount), task)
    }

    /// Safe state and release for every component, each on its owner; then the owners stop.
    func shutdownHardware() async {
        for mount in tree.mounts {
            mount.owner.setIdleTask(nil)
            let component = mount.component
            let outcome = await Result(catching: { () async throws -> Void in
                try await mount.owner.perform {
                    defer { component.stop() }
                    try component.enterSafeState()
                }
            })
            if case .failure(let error) = outcome {
                logger.error("could not put component into its safe state", metadata: ["path": "\(mount.path)", "error": "\(error)"])
            }
        }
        var owners: [ObjectIdentifier: HardwareOwner] = [:]
        for mount in tree.mounts { owners[ObjectIdentifier(mount.owner)] = mount.owner }
        for owner in owners.values { owner.shutdown() }
        logger.info("hardware in safe state and released")
    }

    func supervise(_ mount: Mount) async {
        var backoff = Dispatcher.firstBackoff
        var wasFaulted = false
        var firstStart = true
        defer { if firstStart { supervisors.firstStartEnded(ObjectIdentifier(mount)) } }
        while !Task.isCancelled {
            do {
                let component = mount.component
                try await mount.owner.perform { try component.start() }
                if component.hasDynamicEndpoints { try remount(mount) }
                mount.setHealth(.ready)
                try await primeCache(mount)
                if case .eventDriven(let slice, _) = mount.component.schedule { startWatching(mount, slice: slice) }
                if wasFaulted {
                    metrics.component(mount).recoveries.increment()
                    logger.notice("component recovered", metadata: ["path": "\(mount.path)"])
                }
                changes.publish(wasFaulted ? .recovered : .started, path: mount.path, value: nil, timestamp: wallClock())
                if firstStart { firstStart = false; supervisors.firstStartEnded(ObjectIdentifier(mount)) }
                backoff = Dispatcher.firstBackoff
                try await serve(mount)
            } catch is CancellationError {
                break
            } catch {
                if case .faulted = mount.currentHealth {} else {
                    fault(mount, (error as? IOToyError).map { $0 as any Error } ?? error)
                }
            }
            if Task.isCancelled { break }
            if firstStart { firstStart = false; supervisors.firstStartEnded(ObjectIdentifier(mount)) }
            wasFaulted = true
            mount.owner.setIdleTask(nil)
            let component = mount.component
            _ = try? await mount.owner.perform { component.stop() }
            do { try await clock.sleep(for: backoff) } catch { break }
            backoff = min(backoff * 2, Dispatcher.maximumBackoff)
        }
    }

    /// Fills the cache for components served from it: a first sample, or a first read of
    /// an input whose edges keep it current.
    func primeCache(_ mount: Mount) async throws {
        switch mount.component.schedule {
        case .onDemand, .eventDriven(_, servesValues: false):
            return
        case .polled:
            try await sample(mount)
        case .eventDriven(_, servesValues: true):
            for case .attribute(let attribute) in tree.leaves where attribute.mount === mount {
                let component = mount.component, relative = attribute.relative
                let value = try await onOwner(mount) { try component.read(relative) }
                let entry = makeEntry(attribute, value)
                cache.store(entry, at: attribute.path)
                metrics.component(mount).samples.increment()
                // A stream opened before the component started gets its first value too.
                changes.publish(.sample, path: attribute.path, value: value.json, timestamp: entry.timestamp, representation: entry.encoded)
            }
        }
    }

    /// Serves a healthy component until it faults (throws) or the task is cancelled: its
    /// schedule, and beside it the steps of its timed work when it has any.
    func serve(_ mount: Mount) async throws {
        guard mount.component.hasTimedWork else { return try await serveSchedule(mount) }
        let signals = mount.makeTimedWorkSignals()
        let stepping = Task { await self.stepTimedWork(mount, signals: signals) }
        defer { stepping.cancel() }
        try await serveSchedule(mount)
    }

    func serveSchedule(_ mount: Mount) async throws {
        if case .polled(let interval) = mount.component.schedule {
            while !Task.isCancelled {
                try await clock.sleep(for: interval)
                try checkHealth(mount)
                try await sample(mount)
            }
        } else {
            for await _ in mount.faultSignals {
                if case .faulted(let reason, _) = mount.currentHealth {
                    throw IOToyError(.hardwareFault, message: reason)
                }
            }
        }
        throw CancellationError()
    }

    /// Makes the owner wait for the component's events whenever it is idle, and feeds each
    /// event to the cache and the change feed.
    func startWatching(_ mount: Mount, slice: Duration) {
        let component = mount.component
        let watch: @Sendable () -> Void = { [self] in
            do {
                for event in try component.waitForEvents(timeout: slice) {
                    record(event, from: mount)
                }
            } catch {
                mount.owner.setIdleTask(nil)
                fault(mount, error)
            }
        }
        mount.owner.setIdleTask(watch, interrupt: { component.interruptEventWait() })
    }

    func record(_ event: ComponentEvent, from mount: Mount) {
        let path = mount.resourcePath(event.path)
        guard case .attribute(let attribute)? = tree.node(at: path) else { return }
        let entry = makeEntry(attribute, event.value)
        cache.store(entry, at: path)
        metrics.component(mount).samples.increment()
        changes.publish(
            event.edge == nil ? .sample : .edge, path: path, value: event.value.json,
            detail: event.edge?.rawValue, timestamp: entry.timestamp, hardwareTimestampNs: event.timestampNs,
            representation: entry.encoded)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
