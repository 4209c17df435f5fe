import IOToyCore
import IOToyDrivers
import Logging

extension Dispatcher {
    /// Serves `newTree` in place of the current one (a reload). Mounts present in both (the
    /// same ``Mount`` objects) keep running untouched: their hardware, state, cached values and
    /// failsafe deadlines. Mounts only in the old tree are stopped, put in their safe state and
    /// released, each on its owner, before mounts only in the new tree start (a changed
    /// component may take the same line again). Owners no mount uses any more stop. Open
    /// streams get a `tree` event at the root.
    public func replaceTree(with newTree: ResourceTree) async {
        let oldTree = tree
        let newMounts = Set(newTree.mounts.map(ObjectIdentifier.init))
        let oldMounts = Set(oldTree.mounts.map(ObjectIdentifier.init))
        let retiring = oldTree.mounts.filter { !newMounts.contains(ObjectIdentifier($0)) }
        let starting = newTree.mounts.filter { !oldMounts.contains(ObjectIdentifier($0)) }
        supervisors.expect(starting.map(ObjectIdentifier.init))
        published.withLock { $0 = Published(tree: newTree, cache: cache) }
        for mount in retiring {
            await retire(mount)
            metrics.forget(mount.path, keeping: newTree)
        }
        for mount in starting {
            metrics.instrument(mount.owner)
            startSupervising(mount)
        }
        let usedOwners = Set(newTree.mounts.map { ObjectIdentifier($0.owner) })
        var stopped = Set<ObjectIdentifier>()
        for mount in retiring where !usedOwners.contains(ObjectIdentifier(mount.owner)) {
            if stopped.insert(ObjectIdentifier(mount.owner)).inserted {
                mount.owner.shutdown()
                metrics.forget(mount.owner)
            }
        }
        changes.publish(.tree, path: .root, value: nil, detail: "reloaded", timestamp: wallClock())
    }

    /// Stops supervising `mount`, then puts it in its safe state and releases its hardware on
    /// its owner; its cached values and failsafe deadline go.
    func retire(_ mount: Mount) async {
        if let task = supervisors.remove(ObjectIdentifier(mount)) {
            task.cancel()
            await task.value
        }
        let timer = safety.state.withLock { $0.timers.removeValue(forKey: ObjectIdentifier(mount)) }
        timer?.cancel()
        let component = mount.component
        if case .eventDriven = component.schedule { mount.owner.setIdleTask(nil) }
        do {
            try await mount.owner.perform {
                defer { component.stop() }
                try component.enterSafeState()
            }
        } catch {
            logger.error("could not put a removed component into its safe state", metadata: ["path": "\(mount.path)", "error": "\(error)"])
        }
        cache.removeAll(below: mount.path)
        logger.info("component removed", metadata: ["path": "\(mount.path)", "kind": "\(mount.kind)"])
    }
}

extension Dispatcher {
    /// The owners (by name) whose thread has not taken a liveness probe within `limit`: a
    /// hung bus, chip or port. Empty when all answer. Never blocks; see
    /// ``HardwareOwner/isResponsive(now:within:)``.
    public func unresponsiveOwners(now: Duration, within limit: Duration) -> [String] {
        var seen = Set<ObjectIdentifier>()
        var hung: [String] = []
        for mount in tree.mounts where seen.insert(ObjectIdentifier(mount.owner)).inserted {
            if !mount.owner.isResponsive(now: now, within: limit) { hung.append(mount.owner.name) }
        }
        return hung.sorted()
    }
}
