import IOToyCore
import IOToyDrivers
import IOToyHAL
import Logging
import Synchronization

/// Routes requests to the tree: GET answers from the cache or the component's owner, PUT
/// checks type and limits before any hardware is touched, POST converts arguments to the
/// function's spec. Every answer is the encoded IOTOY representation; every failure an
/// ``IOToyError``.
public final class Dispatcher: Sendable {
    /// The tree and the answers that only change when it does.
    struct Published: Sendable {
        let tree: ResourceTree
        /// Directories, functions and `/devinfo`, encoded once per tree.
        let staticAnswers: [ResourcePath: [UInt8]]
        /// The component mounted at the root that describes its own endpoints (`serve
        /// --serial`), found once per tree rather than on every request.
        let selfDescribingRoot: Mount?
        /// GET's answers that need no decision, by the path's text as a request writes it
        /// (``Dispatcher/answer(forPathText:)``).
        let answersByText: [String: TextAnswer]

        init(tree: ResourceTree, cache: SampleCache) {
            self.tree = tree
            let staticAnswers = Dispatcher.staticAnswers(for: tree)
            self.staticAnswers = staticAnswers
            self.selfDescribingRoot = tree.mounts.first { $0.path == .root && $0.component.hasDynamicEndpoints }
            self.answersByText = Dispatcher.answersByText(for: tree, staticAnswers: staticAnswers, cache: cache)
        }
    }

    let published: Mutex<Published>
    public let changes: ChangeFeed
    /// The change feed as streams serve it (encoded frames, the resume ring, the watchers).
    public let journal: EventJournal
    public let cache: SampleCache
    let safety = SafetyState()
    let supervisors = Supervisors()
    let clock: any Clock<Duration>
    /// The same clock as a monotonic offset from the dispatcher's creation, for timed work.
    let elapsed: ElapsedClock
    let wallClock: @Sendable () -> Double
    let logger: Logger
    /// The instruments `GET /metrics` reads.
    public let metrics: DispatcherMetrics

    /// The path of the device description.
    public static let deviceInfoPath = try! ResourcePath([ResourceTree.deviceInfoName])

    public init(
        tree: ResourceTree, clock: any Clock<Duration>, wallClock: @escaping @Sendable () -> Double,
        logger: Logger, changes: ChangeFeed = ChangeFeed(), maximumWatchers: Int = 64, metrics: DispatcherMetrics = DispatcherMetrics()
    ) {
        self.changes = changes
        self.metrics = metrics
        self.journal = EventJournal(feed: changes, clock: clock, maximumWatchers: maximumWatchers, droppedEvents: metrics.droppedEvents)
        self.clock = clock
        self.elapsed = ElapsedClock(clock)
        self.wallClock = wallClock
        self.logger = logger
        let cache = SampleCache()
        self.cache = cache
        self.published = Mutex(Published(tree: tree, cache: cache))
        supervisors.expect(tree.mounts.map(ObjectIdentifier.init))
        for mount in tree.mounts { metrics.instrument(mount.owner) }
    }

    /// Starts a stream of the changes at and below `path` (which must exist): the cached
    /// values first, or what was missed since `lastEventID`. See ``EventJournal``.
    public func watch(_ path: ResourcePath, rate: Duration? = nil, resumingAfter lastEventID: UInt64? = nil) throws(IOToyError) -> StreamWatcher {
        let tree = tree
        if path != .root, tree.node(at: path) == nil, path != Dispatcher.deviceInfoPath { throw missing(path, in: tree) }
        let cache = cache
        return try journal.watch(below: path, rate: rate, resumingAfter: lastEventID) {
            cache.entries(below: path).map { (path: $0.path, representation: $0.entry.encoded) }
        }
    }

    /// The tree being served.
    public var tree: ResourceTree { published.withLock { $0.tree } }

    /// Mounts a self-describing component's current endpoints in place of its previous ones.
    func remount(_ mount: Mount) throws(TreeError) {
        try published.withLock { (published: inout Published) throws(TreeError) -> Void in
            var tree = published.tree
            try tree.remount(mount)
            if mount.path == .root, let name = mount.component.selfDescribedName { tree.device = name }
            published = Published(tree: tree, cache: cache)
        }
        changes.publish(.tree, path: mount.path, value: nil, timestamp: wallClock())
    }

    static func staticAnswers(for tree: ResourceTree) -> [ResourcePath: [UInt8]] {
        var answers: [ResourcePath: [UInt8]] = [:]
        for (path, node) in tree.nodes {
            switch node {
            case .directory(let directory):
                let children = path.isRoot ? directory.children + [ResourceTree.deviceInfoName] : directory.children
                answers[path] = try! JSONCoding.encode(Representation.directory(at: path, help: directory.help, children: children))
            case .function(let function):
                answers[path] = try! JSONCoding.encode(Representation.function(at: path, help: function.info.help, spec: function.info.spec))
            case .attribute:
                break
            }
        }
        answers[Dispatcher.deviceInfoPath] = try! JSONCoding.encode(DeviceDescription.representation(of: tree))
        return answers
    }

    /// The methods the resource at `path` accepts, or nil when there is none.
    public func methods(at path: ResourcePath) -> [String]? {
        if path == Dispatcher.deviceInfoPath { return ["GET"] }
        return Dispatcher.methods(of: tree.node(at: path))
    }

    static func methods(of node: ResourceTree.Node?) -> [String]? {
        switch node {
        case .directory?: return ["GET"]
        case .attribute(let attribute)?: return attribute.methods
        case .function?: return ["GET", "POST"]
        case nil: return nil
        }
    }

    /// GET: the representation of the resource at `path`. `fresh` reads the hardware even
    /// for a cached attribute.
    public func get(_ path: ResourcePath, fresh: Bool = false) async throws(IOToyError) -> [UInt8] {
        let published = published.withLock { $0 }
        try checkSelfDescribingRoot(published.selfDescribingRoot)
        if let answer = published.staticAnswers[path] { return answer }
        guard case .attribute(let attribute)? = published.tree.node(at: path) else { throw missing(path, in: published.tree) }
        if attribute.isCached, !fresh {
            try checkHealth(attribute.mount)
            if let entry = cache.entry(path) { return entry.encoded }
        }
        if attribute.info.sampled {
            try await sample(attribute.mount)
            guard let entry = cache.entry(path) else { throw notFound(path) }
            return entry.encoded
        }
        let component = attribute.mount.component, relative = attribute.relative
        let value = try await onOwner(attribute.mount) { try component.read(relative) }
        let entry = makeEntry(attribute, value)
        if attribute.isCached { cache.store(entry, at: path) }
        return entry.encoded
    }

    /// PUT: sets the attribute at `path` and answers its re-read representation.
    public func put(_ path: ResourcePath, _ input: RequestInput) async throws(IOToyError) -> [UInt8] {
        let published = published.withLock { $0 }
        try checkSelfDescribingRoot(published.selfDescribingRoot)
        let tree = published.tree
        guard let allowed = path == Dispatcher.deviceInfoPath ? ["GET"] : Dispatcher.methods(of: tree.node(at: path)) else {
            throw missing(path, in: tree)
        }
        guard case .attribute(let attribute)? = tree.node(at: path), attribute.info.writable else {
            throw IOToyError(.methodNotAllowed(allow: allowed), message: "\(path) does not accept PUT")
        }
        let value = try input.value(as: attribute.info.type)
        try checkConstraints(value, attribute)
        try checkNotStopped(attribute.mount)
        let component = attribute.mount.component, relative = attribute.relative
        let readBack = try await onOwner(attribute.mount) { () throws -> Value in
            try component.write(relative, value: value)
            return try component.read(relative)
        }
        commanded(attribute.mount)
        let entry = makeEntry(attribute, readBack)
        if attribute.isCached { cache.store(entry, at: path) }
        let event = attribute.isCached ? entry : makeEntry(attribute, readBack, timestamp: entry.timestamp, stamped: true)
        changes.publish(.set, path: path, value: readBack.json, timestamp: entry.timestamp, representation: event.encoded)
        return entry.encoded
    }

    /// POST: calls the function at `path` and answers its result.
    public func post(_ path: ResourcePath, _ input: RequestInput) async throws(IOToyError) -> [UInt8] {
        let published = published.withLock { $0 }
        try checkSelfDescribingRoot(published.selfDescribingRoot)
        let tree = published.tree
        guard let allowed = path == Dispatcher.deviceInfoPath ? ["GET"] : Dispatcher.methods(of: tree.node(at: path)) else {
            throw missing(path, in: tree)
        }
        guard case .function(let function)? = tree.node(at: path) else {
            throw IOToyError(.methodNotAllowed(allow: allowed), message: "\(path) does not accept POST")
        }
        let arguments = try input.arguments(for: function.info.spec)
        try checkNotStopped(function.mount)
        let component = function.mount.component, relative = function.relative
        let result = try await onOwner(function.mount) { try component.call(relative, arguments: arguments) }
        commanded(function.mount)
        let answer = Representation.callResult(result, spec: function.info.spec)
        let now = wallClock()
        var event: [String: JSONValue] = [
            "href": .string(path.description), "type": .string(answer.type), "value": answer.value, "timestamp": .double(now),
        ]
        if let name = answer.name { event["name"] = .string(name) }
        changes.publish(.call, path: path, value: answer.value, timestamp: now, representation: try? JSONCoding.encode(JSONValue.object(event)))
        return try encode(answer)
    }

    // MARK: Helpers

    func notFound(_ path: ResourcePath) -> IOToyError {
        IOToyError(.notFound, message: "no resource at \(path)")
    }

    /// Why nothing is at `path`: 503 below a self-describing device that is not ready (it may
    /// have the resource once it is back), 404 otherwise.
    func missing(_ path: ResourcePath, in tree: ResourceTree) -> IOToyError {
        for mount in tree.mounts where mount.component.hasDynamicEndpoints && path.hasPrefix(mount.path) && path != mount.path {
            do { try checkHealth(mount) } catch { return error }
        }
        return notFound(path)
    }

    func checkConstraints(_ value: Value, _ attribute: ResourceTree.Attribute) throws(IOToyError) {
        guard let constraints = attribute.info.constraints, constraints.min != nil || constraints.max != nil else { return }
        let number: Double? = switch value {
        case .int(let int): Double(int)
        case .float(let float): float
        default: nil
        }
        guard let number, !constraints.contains(number) else { return }
        let unit = constraints.unit.map { " \($0)" } ?? ""
        let bounds = [constraints.min.map { "min \(JSONValue.number($0).compactDescription)" },
                      constraints.max.map { "max \(JSONValue.number($0).compactDescription)" }].compactMap { $0 }
        throw IOToyError(
            .outOfRange, message: "\(JSONValue.number(number).compactDescription) is outside the limits",
            detail: bounds.joined(separator: ", ") + unit)
    }

    /// A device that describes itself and is the whole tree (`serve --serial`) has nothing to
    /// say before it has answered: every path is 503 until then, naming what is awaited.
    func checkSelfDescribingRoot(_ root: Mount?) throws(IOToyError) {
        guard let root else { return }
        switch root.currentHealth {
        case .ready: return
        case .starting:
            throw IOToyError(.hardwareFault, code: "starting", message: "waiting for \(root.help)")
        case .faulted(let reason, _):
            throw IOToyError(.hardwareFault, message: "waiting for \(root.help): \(reason)", detail: "retrying with back-off")
        }
    }

    func checkHealth(_ mount: Mount) throws(IOToyError) {
        switch mount.currentHealth {
        case .ready: return
        case .starting:
            throw IOToyError(.hardwareFault, code: "starting", message: "\(mount.path) is starting")
        case .faulted(let reason, _):
            throw IOToyError(.hardwareFault, message: "\(mount.path) is faulted: \(reason)", detail: "retrying with back-off")
        }
    }

    /// Runs `body` on the mount's owner; a hardware failure marks the mount faulted.
    func onOwner<T: Sendable>(_ mount: Mount, _ body: @escaping @Sendable () throws -> T) async throws(IOToyError) -> T {
        try checkHealth(mount)
        let instruments = metrics.component(mount)
        instruments.operations.increment()
        do {
            return try await mount.owner.perform(body)
        } catch let error as HardwareError {
            instruments.recordError(kind: error.kind.rawValue)
            // A slow answer is not a broken device: 504, and the component stays up.
            if error.kind != .timeout { fault(mount, error) }
            throw IOToyError(mapping: error)
        } catch {
            throw IOToyError(mapping: error)
        }
    }

    /// Marks `mount` faulted (once), forgets its cached values and tells the feed.
    func fault(_ mount: Mount, _ error: any Error) {
        let now = wallClock()
        if mount.reportFault("\(error)", at: now) {
            metrics.component(mount).faults.increment()
            cache.removeAll(below: mount.path)
            logger.error("component faulted", metadata: ["path": "\(mount.path)", "error": "\(error)"])
            changes.publish(.fault, path: mount.path, value: nil, detail: "\(error)", timestamp: now)
        }
    }

    /// Samples every sampled attribute of `mount` in one owner operation and caches them.
    func sample(_ mount: Mount) async throws(IOToyError) {
        let component = mount.component
        let values = try await onOwner(mount) { try component.sample() }
        metrics.component(mount).samples.increment()
        for (relative, value) in values {
            let path = mount.resourcePath(relative)
            guard case .attribute(let attribute)? = tree.node(at: path) else { continue }
            let entry = makeEntry(attribute, value)
            cache.store(entry, at: path)
            changes.publish(.sample, path: path, value: value.json, timestamp: entry.timestamp, representation: entry.encoded)
        }
    }

    /// `stamped`: with the timestamp even when the attribute is not cached (a stream event
    /// always says when it happened; a plain GET of an uncached attribute has none).
    func makeEntry(_ attribute: ResourceTree.Attribute, _ value: Value, timestamp: Double? = nil, stamped: Bool = false) -> SampleCache.Entry {
        let time = timestamp ?? wallClock()
        var representation = Representation(
            type: attribute.info.type.typeURI, href: attribute.path.description, help: attribute.info.help,
            value: value.json, methods: attribute.methods, constraints: attribute.info.constraints,
            timestamp: attribute.isCached || stamped ? time : nil)
        representation.actions = attribute.actions.isEmpty ? nil : attribute.actions
        return SampleCache.Entry(value: value, timestamp: time, encoded: (try? JSONCoding.encode(representation)) ?? [])
    }

    func encode(_ value: some Encodable) throws(IOToyError) -> [UInt8] {
        do { return try JSONCoding.encode(value) } catch { throw IOToyError(.internalError, message: "encoding failed: \(error)") }
    }
}
