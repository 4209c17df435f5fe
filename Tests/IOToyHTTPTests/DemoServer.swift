import Foundation
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyMetrics
import IOToySim
import Logging
@testable import IOToyHTTP

/// The demo board on simulated hardware behind the real responder, with a manual clock.
struct DemoServer {
    let hardware: SimulatedHardware
    let dispatcher: Dispatcher
    /// `GET /metrics`, when the server was made with metrics.
    let metrics: MetricsExporter?

    static let boardPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../boards/demo.yaml").standardized.path

    init(metrics withMetrics: Bool = false) throws {
        let board = try BoardLoader(registry: .standard).load(path: DemoServer.boardPath)
        let hardware = board.simulatedHardware()
        self.hardware = hardware
        let metrics = withMetrics
            ? MetricsExporter(catalogue: MetricsCatalogue(MetricsExporter.standardDescriptions), wallClock: { 1_700_000_000 }) : nil
        self.metrics = metrics
        let builder = metrics.map { TreeBuilder(platform: hardware.platform, metrics: $0.factory) } ?? TreeBuilder(platform: hardware.platform)
        dispatcher = Dispatcher(
            tree: try builder.build(board).tree, clock: ManualClock(), wallClock: { 1_700_000_000 },
            logger: Logger(label: "test"), metrics: metrics.map { DispatcherMetrics(factory: $0.factory) } ?? DispatcherMetrics())
    }

    /// Runs `body` against the application while the dispatcher serves, then shuts it down.
    func test(access: AccessGate = .open, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var events = dispatcher.changes.subscribe().makeAsyncIterator()
        let dispatcher = self.dispatcher, hardware = self.hardware
        let running = Task { await dispatcher.run() }
        var started = 0
        while started < dispatcher.tree.mounts.count, let event = await events.next() {
            if event.kind == .started { started += 1 }
        }
        let hooks = SimulationHooks(snapshot: { hardware.snapshot() }) { chip, line, level in
            guard let found = hardware.gpio.allChips.first(where: { $0.name == chip || $0.label == chip }) else {
                throw IOToyError(.notFound, message: "no chip \(chip)")
            }
            try found.setExternalLevel(level, line: .init(line))
        }
        let app = Application(responder: IOToyResponder(
            dispatcher: dispatcher, simulation: hooks, access: access, metrics: metrics, maximumBodyBytes: 1024))
        do {
            try await app.test(.router, body)
        } catch {
            running.cancel()
            throw error
        }
        running.cancel()
        await running.value
    }

    /// The PCA9685 model's pulse width on `channel`, in microseconds.
    func hatPulseUs(_ channel: Int) -> Double {
        (hardware.i2c.bus(1).device(at: 0x40) as! SimPCA9685).pulseWidthNs(channel: channel) / 1000
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONCoding.decode(JSONValue.self, from: Array(body.readableBytesView)) }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
