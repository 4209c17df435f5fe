import ArgumentParser
import Foundation
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyHTTP
import IOToyLinux
import IOToySim
import Logging
import ServiceLifecycle

/// `iotoyd serve [BOARD] [--simulate] [--port N] [--bind ADDR]`.
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

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "iotoyd")
        let loader = BoardLoader(registry: .standard)
        let parsed: Board
        do {
            parsed = try board.map { try loader.load(path: $0) } ?? loader.parse(yaml: DemoBoard.yaml, file: DemoBoard.fileName)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        // The demo robot and --simulate run on simulated hardware; a board file on the real one.
        let hardware = simulate || board == nil ? parsed.simulatedHardware() : nil
        let tree = try parsed.buildTree(platform: hardware?.platform ?? LinuxHardware.platform())
        let dispatcher = Dispatcher(
            tree: tree, clock: ContinuousClock(), wallClock: { Date().timeIntervalSince1970 }, logger: logger)
        let host = bind ?? parsed.server.bind
        let device = parsed.device
        let app = IOToyServer.application(
            dispatcher: dispatcher, host: host, port: port ?? parsed.server.port,
            simulation: hardware.map(Serve.hooks(for:)), logger: logger
        ) { boundPort in
            StandardOutput.line("iotoyd: serving '\(device)' on http://\(host):\(boundPort)/ (\(hardware == nil ? "Linux" : "simulated") hardware)")
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: DispatcherService(dispatcher: dispatcher)), .init(service: app)]
        if logLevel <= .debug { services.append(.init(service: ChangeLogService(changes: dispatcher.changes, logger: logger))) }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
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
