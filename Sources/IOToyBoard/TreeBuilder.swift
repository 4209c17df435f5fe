import CoreMetrics
import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyHAL
import Logging
import Synchronization

/// Builds the served tree from a board and, on reload, the next tree from an edited board:
/// components whose configuration is unchanged are carried over as they run (their mount,
/// hardware, state and cached values); the rest are built anew. One owner per bus, chip or
/// port and one driver per shared chip (a PCA9685) across reloads, so a new component on a
/// bus joins the owner the kept ones use.
public final class TreeBuilder: Sendable {
    let platform: HardwarePlatform
    let logger: Logger
    let metrics: any MetricsFactory
    let chips = ChipDrivers()
    private let current = Mutex<(board: Board, tree: ResourceTree)?>(nil)

    /// What a rebuild changed, by path.
    public struct Changes: Sendable, Equatable {
        /// Components carried over running.
        public var kept: [ResourcePath] = []
        /// Components new or changed: built anew, started after the swap.
        public var started: [ResourcePath] = []
        /// Components removed or changed: put in their safe state and released.
        public var removed: [ResourcePath] = []
    }

    /// - Parameter metrics: where components record their own statistics (none by default).
    public init(platform: HardwarePlatform, logger: Logger = Logger(label: "iotoyd"), metrics: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.metrics = metrics
        self.platform = platform
        self.logger = logger
    }

    /// The tree for `board`, reusing what the previous build of this builder had where the
    /// configuration is unchanged. The builder remembers the result as the current tree.
    public func build(_ board: Board) throws -> (tree: ResourceTree, changes: Changes) {
        let previous = current.withLock { $0 }
        let context = BuildContext(
            platform: platform, hardware: Dictionary(board.hardware.map { ($0.name, $0.spec) }, uniquingKeysWith: { a, _ in a }),
            chips: chips, consumer: "iotoyd:\(board.device)", logger: logger, metrics: metrics)
        var owners: [String: HardwareOwner] = [:]
        for mount in previous?.tree.mounts ?? [] { owners[mount.owner.name] = mount.owner }
        let running = Dictionary(
            (previous?.board.components ?? []).compactMap { planned -> (ResourcePath, (String, Mount))? in
                guard let mount = previous?.tree.mounts.first(where: { $0.path == planned.path }) else { return nil }
                return (planned.path, (planned.fingerprint, mount))
            },
            uniquingKeysWith: { a, _ in a })
        var changes = Changes()
        var tree = ResourceTree(device: board.device, help: board.help)
        let directoryHelp = Dictionary(board.directories.map { ($0.path, $0.help) }, uniquingKeysWith: { a, _ in a })
        let planned = Dictionary(board.components.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for path in board.order {
            if let help = directoryHelp[path] {
                try tree.addDirectory(path, help: help)
            } else if let component = planned[path] {
                if let (fingerprint, mount) = running[path], fingerprint == component.fingerprint {
                    try tree.addMount(mount)
                    changes.kept.append(path)
                    continue
                }
                let owner = owners[component.owner.description] ?? HardwareOwner(name: component.owner.description)
                owners[component.owner.description] = owner
                // The component's own log lines (a serial device's resync, its introspection)
                // carry its path.
                var logger = self.logger
                logger[metadataKey: "path"] = "\(path)"
                let built = component.plan.build(context.with(logger: logger), component.plan.help)
                try tree.addMount(Mount(
                    path: path, kind: component.kind, component: built, owner: owner, help: component.plan.help ?? component.kind,
                    failsafe: component.plan.failsafe))
                changes.started.append(path)
            }
        }
        let kept = Set(changes.kept)
        changes.removed = (previous?.tree.mounts ?? []).map(\.path).filter { !kept.contains($0) }
        current.withLock { $0 = (board, tree) }
        return (tree, changes)
    }
}
