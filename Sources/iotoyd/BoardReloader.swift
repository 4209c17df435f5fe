import IOToyBoard
import IOToyDispatcher
import IOToyHTTP
import IOToySim
import IOToySystemd
import Logging
import NIOPosix

/// Re-reads the board file (SIGHUP, `POST /_reload`, `systemctl reload iotoyd`) and serves
/// its tree in place of the running one: the new file is validated first, and an invalid one
/// changes nothing (its errors are logged and answered); a valid one keeps every component
/// whose configuration is unchanged running, makes removed and changed ones safe and
/// releases them, and starts new ones. Connections and streams stay open. One reload at a
/// time.
actor BoardReloader {
    let path: String
    let loader: BoardLoader
    let builder: TreeBuilder
    let dispatcher: Dispatcher
    let access: AccessGate
    /// Under `--simulate`: the simulation a reload extends with what new components need.
    let simulation: SimulatedHardware?
    let notifier: SystemdNotifier
    let logger: Logger
    /// The `server:` section the daemon was started with (less the command line's overrides).
    private var server: Board.Server
    private var device: String
    private var simulate: Bool
    private var mqtt: Board.MQTT?

    init(
        path: String, loader: BoardLoader, builder: TreeBuilder, dispatcher: Dispatcher, access: AccessGate, board: Board,
        simulation: SimulatedHardware?, notifier: SystemdNotifier, logger: Logger
    ) {
        self.path = path
        self.loader = loader
        self.builder = builder
        self.dispatcher = dispatcher
        self.access = access
        self.server = board.server
        self.device = board.device
        self.simulate = board.simulate
        self.mqtt = board.mqtt
        self.simulation = simulation
        self.notifier = notifier
        self.logger = logger
    }

    /// The reload as the HTTP module calls it.
    nonisolated var httpReload: BoardReload {
        BoardReload { await self.reload() }
    }

    /// The reload under way or last run, which the next one waits for.
    private var latest: Task<BoardReload.Report, Never>?

    /// Runs a reload once those asked for before it have ended: reloads never overlap, though
    /// each waits for files on NIO's blocking pool and for the old components' safe states.
    func reload() async -> BoardReload.Report {
        let previous = latest
        let next = Task { () -> BoardReload.Report in
            _ = await previous?.value
            return await self.reloadNow()
        }
        latest = next
        return await next.value
    }

    private func reloadNow() async -> BoardReload.Report {
        try? notifier.reloading(monotonicMicroseconds: MonotonicTime.microseconds)
        defer { try? notifier.ready(status: "serving \(dispatcher.tree.mounts.count) components (reloaded)") }
        logger.notice("reloading the board file", metadata: ["file": "\(path)"])
        let board: Board
        // The files are read on NIO's blocking pool, not the cooperative pool this runs on.
        let loader = loader, path = path
        guard let loaded = await Self.onBlockingPool({ Result { () throws(BoardErrors) -> Board in try loader.load(path: path) } }) else {
            return BoardReload.Report(errors: ["\(path): error: iotoyd is stopping"])
        }
        switch loaded {
        case .success(let read):
            board = read
        case .failure(let error):
            let errors = error.errors.map { "\($0)" }
            for line in errors { logger.error("reload refused: \(line)") }
            logger.error("reload refused: the running tree is unchanged", metadata: ["file": "\(path)", "errors": "\(errors.count)"])
            return BoardReload.Report(errors: errors)
        }
        for warning in board.warnings { logger.warning("\(warning)") }
        let needsRestart = changesNeedingRestart(to: board)
        for setting in needsRestart {
            logger.warning("\(setting) changed: takes effect at the next restart", metadata: ["file": "\(path)"])
        }
        // Everything that can fail comes before anything changes: the tokens file, then the tree.
        let policy: AuthPolicy
        let built: (tree: ResourceTree, changes: TreeBuilder.Changes)
        do {
            let server = board.server, logger = logger
            guard let read = await Self.onBlockingPool({ Result { try Serve.accessPolicy(server, logger: logger) } }) else {
                return BoardReload.Report(errors: ["\(path): error: iotoyd is stopping"])
            }
            policy = try read.get()
            simulation.map { board.addSimulation(to: $0) }
            built = try builder.build(board)
        } catch {
            logger.error("reload refused: \(error)")
            return BoardReload.Report(errors: ["\(path): error: \(error)"])
        }
        access.replacePolicy(policy)
        await dispatcher.replaceTree(with: built.tree)
        let changes = built.changes
        logger.notice(
            "board file reloaded",
            metadata: [
                "file": "\(path)", "kept": "\(changes.kept.count)", "started": "\(changes.started.count)", "removed": "\(changes.removed.count)",
            ])
        return BoardReload.Report(
            kept: changes.kept.map(\.description), started: changes.started.map(\.description),
            removed: changes.removed.map(\.description), needsRestart: needsRestart)
    }

    /// What a reload cannot change in place: where and how HTTP listens, and the device's
    /// name (its mDNS advertisement).
    private func changesNeedingRestart(to board: Board) -> [String] {
        var changed: [String] = []
        let old = server, new = board.server
        if old.port != new.port { changed.append("server.port") }
        if old.bind != new.bind { changed.append("server.bind") }
        if old.headTimeout != new.headTimeout { changed.append("server.head_timeout_ms") }
        if old.idleTimeout != new.idleTimeout { changed.append("server.idle_timeout_ms") }
        if old.maximumConnections != new.maximumConnections { changed.append("server.max_connections") }
        if old.maximumWatchers != new.maximumWatchers { changed.append("server.max_watchers") }
        if old.metrics != new.metrics { changed.append("server.metrics") }
        if device != board.device { changed.append("device (the mDNS name)") }
        if simulate != board.simulate { changed.append("simulate") }
        if mqtt != board.mqtt { changed.append("mqtt") }
        return changed
    }

    /// Runs `body` (file reads) on NIO's blocking thread pool; nil when the pool has stopped.
    static func onBlockingPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        try? await NIOThreadPool.singleton.runIfActive(body)
    }
}
