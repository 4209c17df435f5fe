import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyHAL
import Logging

extension Board {
    /// Builds the components on `platform` and mounts them into a tree, one owner per bus,
    /// chip or port. No hardware is opened here: the dispatcher starts each component on its
    /// owner, so a missing device faults that component only.
    public func buildTree(platform: HardwarePlatform, logger: Logger = Logger(label: "iotoyd")) throws -> ResourceTree {
        let context = BuildContext(
            platform: platform, hardware: Dictionary(hardware.map { ($0.name, $0.spec) }, uniquingKeysWith: { a, _ in a }),
            chips: ChipDrivers(), consumer: "iotoyd:\(device)", logger: logger)
        var owners: [String: HardwareOwner] = [:]
        var tree = ResourceTree(device: device, help: help)
        let directoryHelp = Dictionary(directories.map { ($0.path, $0.help) }, uniquingKeysWith: { a, _ in a })
        let planned = Dictionary(components.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for path in order {
            if let help = directoryHelp[path] {
                try tree.addDirectory(path, help: help)
            } else if let component = planned[path] {
                let owner = owners[component.owner] ?? HardwareOwner(name: component.owner)
                owners[component.owner] = owner
                let built = component.plan.build(context, component.plan.help)
                try tree.addMount(Mount(path: path, kind: component.kind, component: built, owner: owner, help: component.plan.help ?? component.kind,
                                           failsafe: component.plan.failsafe))
            }
        }
        return tree
    }
}
