import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyHAL
import Logging

extension Board {
    /// Builds the components on `platform` and mounts them into a tree, one owner per bus,
    /// chip or port. No hardware is opened here: the dispatcher starts each component on its
    /// owner, so a missing device faults that component only. A daemon that reloads keeps a
    /// ``TreeBuilder`` instead.
    public func buildTree(platform: HardwarePlatform, logger: Logger = Logger(label: "iotoyd")) throws -> ResourceTree {
        try TreeBuilder(platform: platform, logger: logger).build(self).tree
    }
}
