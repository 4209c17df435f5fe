import CoreMetrics
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToySim
import Logging

/// A board's tree on simulated hardware with its dispatcher running, for tests: built the way
/// the daemon builds it (``TreeBuilder``, so reloads work), started, and returned once every
/// component has had its first start. Time is a ``ManualClock``; the wall clock is fixed
/// unless one is given.
public final class SimulatedTree: Sendable {
    public let hardware: SimulatedHardware
    public let builder: TreeBuilder
    public let dispatcher: Dispatcher
    public let clock: ManualClock
    private let running: Task<Void, Never>

    /// Serves `board` on `hardware` (by default, simulated hardware fitted to the board);
    /// `adding` mounts test components (a calculator, a broken sensor) beside the board's;
    /// `metrics` is where the dispatcher and the components record.
    public init(
        board: Board, hardware: SimulatedHardware? = nil, clock: ManualClock = ManualClock(),
        wallClock: @escaping @Sendable () -> Double = { 1_700_000_000 },
        metrics: any MetricsFactory = NOOPMetricsHandler.instance, adding extraMounts: [Mount] = []
    ) async throws {
        let hardware = hardware ?? board.simulatedHardware()
        self.hardware = hardware
        self.clock = clock
        builder = TreeBuilder(platform: hardware.platform, logger: Logger(label: "test"), metrics: metrics)
        var tree = try builder.build(board).tree
        for mount in extraMounts { try tree.addMount(mount) }
        let dispatcher = Dispatcher(
            tree: tree, clock: clock, wallClock: wallClock, logger: Logger(label: "test"), metrics: DispatcherMetrics(factory: metrics))
        self.dispatcher = dispatcher
        running = await dispatcher.runUntilStarted().task
    }

    /// Serves the board file text `yaml` (`file` names it in errors).
    public convenience init(
        yaml: String, file: String = "board.yaml", clock: ManualClock = ManualClock(),
        wallClock: @escaping @Sendable () -> Double = { 1_700_000_000 }, metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) async throws {
        try await self.init(
            board: try BoardLoader(registry: .standard).parse(yaml: yaml, file: file), clock: clock, wallClock: wallClock, metrics: metrics)
    }

    /// Reloads with the board file text `yaml`, as the daemon does, and returns once the new
    /// components have had their first start.
    @discardableResult
    public func reload(_ yaml: String, file: String = "board.yaml") async throws -> TreeBuilder.Changes {
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: file)
        board.addSimulation(to: hardware)
        let built = try builder.build(board)
        await dispatcher.replaceTree(with: built.tree)
        await dispatcher.waitUntilStarted()
        return built.changes
    }

    /// The `value` of the resource at `path`, as a GET answers it.
    public func value(_ path: String) async throws -> JSONValue? {
        let bytes = try await dispatcher.get(try ResourcePath(parsing: path))
        guard case .object(let object) = try JSONCoding.decode(JSONValue.self, from: bytes) else { return nil }
        return object["value"]
    }

    /// Stops the dispatcher: every actuator to its safe state, the hardware released.
    public func stop() async {
        running.cancel()
        await running.value
    }
}
