import ArgumentParser
import IOToyClient

/// `iotoy tree DEVICE[/path]`: every resource below a directory.
struct TreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree", abstract: "Show every resource of a device as a tree, with types and help.")

    @Argument(help: "DEVICE or DEVICE/path.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let (device, resource) = try await options.open(target)
            let tree = try await TreeNode(resource)
            if options.json {
                try Output.json(tree.json)
            } else {
                let title = resource.path.isRoot ? device.name : resource.href
                Output.line(tree.help.isEmpty ? title : "\(title)  \(tree.help)")
                var rows: [[String]] = []
                tree.appendRows(to: &rows, prefix: "")
                Output.table(rows)
            }
        }
    }
}

/// A resource with everything below it: a directory's children in the device's order, and
/// functions mounted below an attribute (`eyes` → `toggle`).
struct TreeNode: Sendable {
    let resource: Resource
    let help: String
    let children: [TreeNode]

    init(_ resource: Resource) async throws {
        self.resource = resource
        self.help = try await resource.describedHelp()
        let names = resource.kind == .directory
            ? try await resource.children().filter { $0 != "devinfo" || !resource.path.isRoot }
            : resource.info.childNames(of: resource.path)
        var children: [TreeNode] = []
        for name in names {
            guard let child = try? resource[name] else { continue }
            children.append(try await TreeNode(child))
        }
        self.children = children
    }

    /// `├── lift  float  Lift the leg`, with the branch drawing in the first column.
    func appendRows(to rows: inout [[String]], prefix: String) {
        for (index, child) in children.enumerated() {
            let last = index == children.count - 1
            rows.append([prefix + (last ? "└── " : "├── ") + child.resource.listedName,
                         child.resource.kind == .directory ? "" : child.resource.shortKind, child.help])
            child.appendRows(to: &rows, prefix: prefix + (last ? "    " : "│   "))
        }
    }

    var json: JSONValue {
        guard case .object(var entry) = resource.listingJSON(help: help) else { return .null }
        if !children.isEmpty { entry["children"] = .array(children.map(\.json)) }
        return .object(entry)
    }
}
