import ArgumentParser
import Foundation
import IOToyBoard
import IOToyCore
import IOToyDiscovery
import CoreMetrics
import IOToyDispatcher
import IOToyHTTP
import IOToyLinux
import IOToyMetrics
import IOToyMQTT
import IOToyMQTTBridge
import IOToySim
import IOToySystemd
import Logging
import ServiceLifecycle

/// `iotoyd serve [BOARD] [--simulate] [--port N] [--bind ADDR] [--no-advertise]`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a board file's resource tree (the default command).")

    @Argument(help: "The board file. Without one, the bundled demo robot is served in simulation.")
    var board: String?

    @Flag(help: "Run on simulated hardware that has everything the board declares.")
    var simulate = false

    @Option(help: "TCP port (overrides the board file; 0 picks a free port).")
    var port: Int?

    @Option(help: "Address to bind (overrides the board file).")
    var bind: String?

    @Option(help: ArgumentHelp(
        "Serve the one IOTOY microcontroller on this serial port at the root, under its own device id (no board file).",
        valueName: "port"))
    var serial: String?

    @Option(help: "Baud rate for --serial.")
    var baud = 19200

    @Flag(help: "Do not advertise the device over mDNS (by default it is, through avahi-daemon, when one runs).")
    var noAdvertise = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log lines as text (with syslog priorities under systemd) or json (one object per line).")
    var logFormat: DaemonLogHandler.Format = .text

    /// Simulated hardware: `--simulate`, or no board file (the bundled demo robot). Decided
    /// here once; the banner, the hooks and the platform all ask this.
    var isSimulated: Bool { simulate || (board == nil && serial == nil) }

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port \(port) is not a TCP port: give 1…65535, or 0 to pick a free one")
        }
        if serial != nil, board != nil {
            throw ValidationError("--serial serves one device without a board file; give one or the other")
        }
        // The same rates a board file's `baud:` accepts.
        if !HardwareSpec.baudRates.contains(baud) {
            throw ValidationError("\(baud) is not a standard baud rate (\(HardwareSpec.baudRates.map(String.init).joined(separator: ", ")))")
        }
    }

    func run() async throws {
        let level = logLevel
        let format = logFormat
        // systemd sets JOURNAL_STREAM when standard error goes to the journal.
        let underJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in
            var handler = DaemonLogHandler(label: label, format: format, underJournal: underJournal) { line in
                FileHandleStandardError.write(line)
            }
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "iotoyd")
        if let serial {
            try await serveStandalone(port: serial, logger: logger)
            return
        }
        let loader = BoardLoader(registry: .standard)
        let parsed: Board
        do {
            parsed = try board.map { try loader.load(path: $0) } ?? loader.parse(yaml: DemoBoard.yaml, file: DemoBoard.fileName)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        for warning in parsed.warnings { logger.warning("\(warning)") }
        // The demo robot, --simulate and `simulate: true` run on simulated hardware; a board file
        // on the real one.
        let hardware = isSimulated || parsed.simulate ? parsed.simulatedHardware() : nil
        let metrics = parsed.server.metrics ? Serve.metricsExporter() : nil
        let builder = TreeBuilder(
            platform: hardware?.platform ?? LinuxHardware.platform(), logger: logger, metrics: metrics?.factory ?? NOOPMetricsHandler.instance)
        let tree = try builder.build(parsed).tree
        let reloading = board.map { ReloadSource(path: $0, loader: loader, builder: builder, board: parsed, simulation: hardware) }
        let mqtt = try parsed.mqtt.map { try Serve.mqttSettings($0, device: parsed.device) }
        try await serve(
            tree, server: overriding(parsed.server), simulation: hardware.map(Serve.hooks(for:)), logger: logger, reloading: reloading,
            simulated: hardware != nil, metrics: metrics, mqtt: mqtt)
    }

    /// The registry `GET /metrics` renders: every module's families, the process read from `/proc`.
    static func metricsExporter() -> MetricsExporter {
        MetricsExporter(catalogue: MetricsCatalogue(MetricsExporter.standardDescriptions + MQTTClientMetrics.descriptions), wallClock: { Date().timeIntervalSince1970 }) {
            let process = ProcessStatistics.current()
            return MetricsExporter.ProcessSample(
                residentMemoryBytes: process.residentMemoryBytes.map(Double.init),
                openFileDescriptors: process.openFileDescriptors.map(Double.init), startTimeSeconds: process.startTimeSeconds)
        }
    }

    /// What a reload needs from the start: the file, the builder that made the tree, the board
    /// it was made from, the simulation under `--simulate`.
    struct ReloadSource {
        let path: String
        let loader: BoardLoader
        let builder: TreeBuilder
        let board: Board
        let simulation: SimulatedHardware?
    }

    /// Serves `tree` until SIGTERM or SIGINT, then leaves the hardware safe.
    /// The board's server settings with the command line's `--port` and `--bind` applied.
    func overriding(_ server: Board.Server) -> Board.Server {
        var server = server
        if let port { server.port = port }
        if let bind { server.bind = bind }
        return server
    }

    func serve(
        _ tree: ResourceTree, server: Board.Server, simulation: SimulationHooks?, logger: Logger, waitsForDeviceName: Bool = false,
        reloading: ReloadSource? = nil, simulated: Bool? = nil, metrics: MetricsExporter? = nil, mqtt: MQTTBridgeSettings? = nil
    ) async throws {
        let host = server.bind, port = server.port
        let timeouts = IOToyServer.Timeouts(head: server.headTimeout, idle: server.idleTimeout, maximumConnections: server.maximumConnections)
        let dispatcher = Dispatcher(
            tree: tree, clock: ContinuousClock(), wallClock: { Date().timeIntervalSince1970 }, logger: logger,
            changes: ChangeFeed(startingAfter: UInt64(Date().timeIntervalSince1970 * 1_000_000)),
            maximumWatchers: server.maximumWatchers, metrics: metrics.map { DispatcherMetrics(factory: $0.factory) } ?? DispatcherMetrics())
        let device = tree.device
        let label = waitsForDeviceName ? tree.mounts.first?.help ?? device : "'\(device)'"
        let mode = simulated ?? isSimulated ? " (simulated hardware)" : " (Linux hardware)"
        let urlHost = host.contains(":") ? "[\(host.replacingOccurrences(of: "%", with: "%25"))]" : host
        let (boundPorts, boundPortAnnouncer) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let (readyPorts, readyPortAnnouncer) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let access = AccessGate(policy: try Serve.accessPolicy(server, logger: logger, onStart: true))
        let environment = ProcessInfo.processInfo.environment
        let notifier = SystemdNotifier(environment: environment)
        let reloader = reloading.map {
            BoardReloader(
                path: $0.path, loader: $0.loader, builder: $0.builder, dispatcher: dispatcher, access: access, board: $0.board,
                simulation: $0.simulation, notifier: notifier, logger: logger)
        }
        let app = IOToyServer.application(
            dispatcher: dispatcher, host: host, port: port, simulation: simulation, timeouts: timeouts, access: access,
            reload: reloader?.httpReload, metrics: metrics, logger: logger
        ) { boundPort in
            StandardOutput.line("iotoyd: serving \(label) on http://\(urlHost):\(boundPort)/\(mode)")
            boundPortAnnouncer.yield(boundPort)
            readyPortAnnouncer.yield(boundPort)
        }
        let systemd = SystemdService(
            notifier: notifier, watchdog: WatchdogSettings(environment: environment, processID: ProcessInfo.processInfo.processIdentifier),
            boundPorts: readyPorts, dispatcher: dispatcher, eventLoops: EventLoopLiveness(), logger: logger)
        // A device that names itself is advertised under that name once it has answered.
        let changes = waitsForDeviceName ? dispatcher.changes.subscribe() : nil
        var advertising = AdvertisingService(boundPorts: boundPorts, logger: logger) {
            guard var events = changes?.makeAsyncIterator() else { return device }
            while let event = await events.next() {
                if event.path == .root, event.kind == .started || event.kind == .recovered { return dispatcher.tree.device }
            }
            return nil
        }
        advertising.requiresTokens = access.requiresTokens
        // Bound to one address, the device is reached there only: advertised on that interface.
        advertising.interface = InterfaceLookup.interface(holding: host)
        // Bound to loopback, the device is not reachable from the network: nothing to advertise.
        let advertises = !noAdvertise && !Serve.isLoopback(host)
        if !noAdvertise, !advertises { logger.notice("bound to \(host): not advertised over mDNS") }
        let bridge = mqtt.map { settings in
            MQTTBridge(
                client: MQTTClient(
                    settings: settings.client, logger: logger,
                    metrics: metrics.map { MQTTClientMetrics(factory: $0.factory) } ?? MQTTClientMetrics()),
                dispatcher: dispatcher,
                configuration: .init(
                    prefix: settings.prefix, discoveryPrefix: settings.discoveryPrefix, softwareVersion: IOToyVersion.string,
                    readOnly: { access.policy.readOnly }),
                logger: logger)
        }
        var changeLog: [ServiceGroupConfiguration.ServiceConfiguration] =
            logLevel <= .debug ? [.init(service: ChangeLogService(changes: dispatcher.changes, logger: logger))] : []
        if waitsForDeviceName { changeLog.append(.init(service: DeviceAnnouncement(dispatcher: dispatcher, logger: logger))) }
        let group = ServiceGroup(
            configuration: .init(
                // Stopped in reverse order: the advertisement is withdrawn first, then HTTP.
                services: [.init(service: DispatcherService(dispatcher: dispatcher))]
                    + (bridge.map { [.init(service: MQTTBridgeService(bridge: $0))] } ?? [])
                    + changeLog + [.init(service: app)]
                    + [.init(service: StreamCloser(journal: dispatcher.journal))]
                    + [.init(service: HangupReload(reloader: reloader, logger: logger)), .init(service: systemd)]
                    + (advertises ? [.init(service: advertising)] : []),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The access policy from the board's `server.auth` and `read_only`; without `auth` the
    /// robot is open to the network, which is said once, at start.
    static func accessPolicy(_ server: Board.Server, logger: Logger, onStart: Bool = false) throws -> AuthPolicy {
        guard let settings = server.access else {
            if server.readOnly { return AuthPolicy(tokens: nil, trusted: [], anonymous: .admin, readOnly: true) }
            if onStart, !isLoopback(server.bind) {
                logger.warning("no server.auth in the board file: anyone on the network may read and move this robot")
            }
            return .open
        }
        var tokens: TokenStore?
        if let path = settings.tokensFile {
            do {
                tokens = try TokenStore.load(path: path)
            } catch {
                let message = "\(error) (create it with: iotoyd token add NAME --role control --file \(path))"
                if onStart {
                    printError("iotoyd: \(message)")
                    throw ExitCode(1)
                }
                throw TokensUnreadable(message: message)
            }
        }
        return AuthPolicy(tokens: tokens, trusted: settings.trusted, anonymous: settings.anonymous, readOnly: server.readOnly)
    }

    /// A reload's tokens file could not be read: the reload is refused.
    struct TokensUnreadable: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func hooks(for hardware: SimulatedHardware) -> SimulationHooks {
        SimulationHooks(snapshot: { hardware.snapshot() }) { chip, line, level in
            guard let found = hardware.gpio.allChips.first(where: { $0.name == chip || $0.label == chip }) else {
                throw IOToyError(.notFound, message: "no simulated chip '\(chip)'")
            }
            try found.setExternalLevel(level, line: .init(line))
        }
    }
}

/// Runs the dispatcher until graceful shutdown, then lets it put the hardware in its safe state.
struct DispatcherService: Service {
    let dispatcher: Dispatcher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension DaemonLogHandler.Format: ExpressibleByArgument {}
