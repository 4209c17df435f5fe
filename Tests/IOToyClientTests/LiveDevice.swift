import Foundation
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyHAL
import IOToyHTTP
import IOToyTesting
import Logging
import Synchronization
import Testing

/// The demo robot on simulated hardware, plus a calculator (functions with typed arguments)
/// and a broken sensor (503), served by the real `IOToyServer` on an ephemeral port (IOToyTesting's
/// simulated tree and live server).
enum LiveDevice {
    static let boardPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../boards/demo.yaml").standardized.path

    /// Runs `body` with the server's port while it serves.
    static func serve(_ body: @Sendable (Int) async throws -> Void) async throws {
        let board = try BoardLoader(registry: .standard).load(path: boardPath)
        let tree = try await SimulatedTree(board: board, adding: [
            Mount(path: try ResourcePath(parsing: "/calc"), kind: "calculator", component: Calculator(),
                  owner: HardwareOwner(name: "calc"), help: "A calculator"),
            Mount(path: try ResourcePath(parsing: "/broken"), kind: "broken", component: BrokenSensor(),
                  owner: HardwareOwner(name: "broken")),
        ])
        do {
            try await LiveServer.serve(tree, body)
        } catch {
            await tree.stop()
            throw error
        }
        await tree.stop()
    }
}

/// Functions with several typed arguments, as an IOTOY microcontroller offers them.
final class Calculator: Component {
    private let memory = Mutex(0.0)

    var endpoints: [Endpoint] {
        [
            Endpoint(["add"], .function(FunctionInfo(
                spec: FunctionSpec(args: [Parameter("a", .int), Parameter("b", .int)], result: [Parameter("sum", .int)]),
                help: "Add two numbers"))),
            Endpoint(["say"], .function(FunctionInfo(
                spec: FunctionSpec(args: [Parameter("times", .int), Parameter("words", .str)], result: [Parameter("said", .str)]),
                help: "Repeat words"))),
            Endpoint(["clear"], .function(FunctionInfo(spec: FunctionSpec(), help: "Clear the memory"))),
            Endpoint(["memory"], .attribute(AttributeInfo(
                type: .float, help: "The memory", constraints: Constraints(min: -100, max: 100, unit: "u"), writable: true))),
            Endpoint(["value"], .attribute(AttributeInfo(type: .int, help: "A name that clashes with the client's own", writable: false))),
        ]
    }

    func start() throws {}
    func stop() {}

    func read(_ path: [String]) throws -> Value {
        path == ["value"] ? .int(7) : .float(memory.withLock { $0 })
    }

    func write(_ path: [String], value: Value) throws {
        guard case .float(let number) = value else { return }
        memory.withLock { $0 = number }
    }

    func call(_ path: [String], arguments: [Value]) throws -> Value? {
        switch path.first {
        case "add":
            if arguments.count == 2, case .int(let a) = arguments[0], case .int(let b) = arguments[1] { return .int(a + b) }
        case "say":
            if arguments.count == 2, case .int(let times) = arguments[0], case .str(let words) = arguments[1] {
                return .str(Array(repeating: words, count: times).joined(separator: " "))
            }
        case "clear":
            memory.withLock { $0 = 0 }
            return nil
        default:
            break
        }
        throw IOToyError(.badRequest, message: "bad call")
    }
}

/// A sensor whose every read fails with an I/O error.
final class BrokenSensor: Component {
    var endpoints: [Endpoint] {
        [Endpoint([], .attribute(AttributeInfo(type: .float, help: "A sensor that has come loose", writable: false)))]
    }

    func start() throws {}
    func stop() {}

    func read(_ path: [String]) throws -> Value {
        throw HardwareError(.io, operation: "read", device: "test sensor", errno: 5)
    }
}
