import Foundation
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyMetrics
import IOToySim
import IOToyTesting
import CoreMetrics
import Logging
@testable import IOToyHTTP

/// The demo board on simulated hardware behind the real responder (IOToyTesting's rig), with a manual clock.
struct DemoServer {
    let board: Board
    /// The simulated hardware, which outlives each ``test(access:_:)``'s tree.
    let hardware: SimulatedHardware
    /// `GET /metrics`, when the server was made with metrics.
    let metrics: MetricsExporter?

    static let boardPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../boards/demo.yaml").standardized.path

    init(metrics withMetrics: Bool = false) throws {
        let board = try BoardLoader(registry: .standard).load(path: DemoServer.boardPath)
        self.board = board
        hardware = board.simulatedHardware()
        metrics = withMetrics
            ? MetricsExporter(catalogue: MetricsCatalogue(MetricsExporter.standardDescriptions), wallClock: { 1_700_000_000 }) : nil
    }

    /// Runs `body` against the application while the demo runs on simulated hardware (a
    /// fresh ``SimulatedTree`` per call), then shuts it down.
    func test(access: AccessGate = .open, _ body: @Sendable (any TestClientProtocol, SimulatedTree) async throws -> Void) async throws {
        let tree = try await SimulatedTree(board: board, hardware: hardware, metrics: metrics?.factory ?? NOOPMetricsHandler.instance)
        let hardware = hardware
        let hooks = SimulationHooks(snapshot: { hardware.snapshot() }) { chip, line, level in
            guard let found = hardware.gpio.allChips.first(where: { $0.name == chip || $0.label == chip }) else {
                throw IOToyError(.notFound, message: "no chip \(chip)")
            }
            try found.setExternalLevel(level, line: .init(line))
        }
        let app = Application(responder: IOToyResponder(
            dispatcher: tree.dispatcher, simulation: hooks, access: access, metrics: metrics, maximumBodyBytes: 1024))
        do {
            try await app.test(.router) { client in try await body(client, tree) }
        } catch {
            await tree.stop()
            throw error
        }
        await tree.stop()
    }

    func test(access: AccessGate = .open, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await test(access: access) { client, _ in try await body(client) }
    }

    /// The PCA9685 model's pulse width on `channel`, in microseconds.
    func hatPulseUs(_ channel: Int) -> Double {
        (hardware.i2c.bus(1).device(at: 0x40) as! SimPCA9685).pulseWidthNs(channel: channel) / 1000
    }
}

extension TestResponse {
    var json: JSONValue? { try? JSONCoding.decode(JSONValue.self, from: Array(body.readableBytesView)) }
}

