import IOToyCore
import IOToyDrivers

/// The device's resource tree: directories at any depth, attributes and functions, each at
/// one ``ResourcePath``. Built once at start; only a component whose endpoints come from the
/// device itself (``Component/hasDynamicEndpoints``) is mounted again when it (re)starts.
public struct ResourceTree: Sendable {
    /// A node of the tree.
    public enum Node: Sendable {
        case directory(Directory)
        case attribute(Attribute)
        case function(Function)
    }

    /// A directory: its help and its children's names in board-file order.
    public struct Directory: Sendable {
        public let path: ResourcePath
        public let help: String
        public internal(set) var children: [String]
    }

    /// An attribute served by a mounted component.
    public struct Attribute: Sendable {
        public let path: ResourcePath
        public let info: AttributeInfo
        public let mount: Mount
        public let relative: [String]
        /// Functions mounted below the attribute (`/eyes/toggle`), by name.
        public internal(set) var actions: [String]
        /// Served from the cache (sensors, and inputs kept current by their edges).
        public var isCached: Bool { info.sampled || mount.component.schedule.servesValuesFromEvents }
        /// The HTTP methods accepted.
        public var methods: [String] { info.writable ? ["GET", "PUT"] : ["GET"] }
    }

    /// A function served by a mounted component.
    public struct Function: Sendable {
        public let path: ResourcePath
        public let info: FunctionInfo
        public let mount: Mount
        public let relative: [String]
    }

    /// The device id (mDNS instance name, `devicename` in `/devinfo`). A self-describing
    /// device mounted at the root renames it when it has said who it is.
    public internal(set) var device: String
    public private(set) var nodes: [ResourcePath: Node]
    public private(set) var mounts: [Mount] = []

    /// The name reserved at the root for the device description.
    public static let deviceInfoName = "devinfo"

    /// An empty tree whose root directory has `help`.
    public init(device: String, help: String) {
        self.device = device
        self.nodes = [.root: .directory(Directory(path: .root, help: help, children: []))]
    }

    /// The node at `path`, if any.
    public func node(at path: ResourcePath) -> Node? { nodes[path] }

    /// Adds a directory (and any missing parents).
    public mutating func addDirectory(_ path: ResourcePath, help: String) throws(TreeError) {
        if case .directory(var existing)? = nodes[path] {
            if existing.help.isEmpty {
                existing = Directory(path: path, help: help, children: existing.children)
                nodes[path] = .directory(existing)
            }
            return
        }
        guard nodes[path] == nil else { throw TreeError.duplicate(path) }
        if let parent = path.parent { try ensureDirectory(parent, child: path.name!) }
        nodes[path] = .directory(Directory(path: path, help: help, children: []))
    }

    /// Mounts every endpoint of `mount`'s component below `mount.path`.
    public mutating func addMount(_ mount: Mount) throws(TreeError) {
        if mount.component.hasDynamicEndpoints || !mount.component.endpoints.contains(where: { $0.path.isEmpty }) {
            try addDirectory(mount.path, help: mount.help)
        }
        try addEndpoints(of: mount)
        mounts.append(mount)
    }

    /// Replaces the endpoints of an already mounted component with its current ones (a device
    /// that described itself again). The other mounts are untouched.
    public mutating func remount(_ mount: Mount) throws(TreeError) {
        let previous = nodes.filter { path, node in
            switch node {
            case .attribute(let attribute): attribute.mount === mount
            case .function(let function): function.mount === mount
            case .directory: false
            }
        }
        for path in previous.keys {
            nodes[path] = nil
            if let parent = path.parent, case .directory(var directory)? = nodes[parent] {
                directory.children.removeAll { $0 == path.name }
                nodes[parent] = .directory(directory)
            }
        }
        try addEndpoints(of: mount)
    }

    private mutating func addEndpoints(of mount: Mount) throws(TreeError) {
        for endpoint in mount.component.endpoints {
            let path: ResourcePath
            do { path = mount.path.appending(try ResourcePath(endpoint.path)) } catch { throw TreeError.invalidEndpoint(mount.path, endpoint.path) }
            guard nodes[path] == nil, path != .root else { throw TreeError.duplicate(path) }
            if path.parent == .root, path.name == ResourceTree.deviceInfoName { throw TreeError.reserved(path) }
            switch endpoint.kind {
            case .attribute(let info):
                try ensureDirectory(path.parent!, child: path.name!)
                nodes[path] = .attribute(Attribute(path: path, info: info, mount: mount, relative: endpoint.path, actions: []))
            case .function(let info):
                let parent = path.parent!
                if case .attribute(var owner)? = nodes[parent], owner.mount === mount {
                    owner.actions.append(path.name!)
                    nodes[parent] = .attribute(owner)
                } else {
                    try ensureDirectory(parent, child: path.name!)
                }
                nodes[path] = .function(Function(path: path, info: info, mount: mount, relative: endpoint.path))
            }
        }
    }

    private mutating func ensureDirectory(_ path: ResourcePath, child: String) throws(TreeError) {
        switch nodes[path] {
        case .directory(var directory)?:
            if !directory.children.contains(child) {
                directory.children.append(child)
                nodes[path] = .directory(directory)
            }
        case nil:
            try addDirectory(path, help: "")
            try ensureDirectory(path, child: child)
        default:
            throw TreeError.notADirectory(path)
        }
    }

    /// Every attribute and function below the root, sorted by path.
    public var leaves: [Node] {
        nodes.sorted { $0.key < $1.key }.compactMap { _, node in
            if case .directory = node { return nil }
            return node
        }
    }
}

/// Why the tree could not be built. The board validator catches these first, with file positions.
public enum TreeError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicate(ResourcePath)
    case reserved(ResourcePath)
    case notADirectory(ResourcePath)
    case invalidEndpoint(ResourcePath, [String])

    public var description: String {
        switch self {
        case .duplicate(let path): "two resources at \(path)"
        case .reserved(let path): "\(path) is reserved for the device description"
        case .notADirectory(let path): "\(path) is not a directory"
        case .invalidEndpoint(let path, let relative): "invalid endpoint \(relative) below \(path)"
        }
    }
}
