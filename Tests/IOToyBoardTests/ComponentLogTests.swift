import IOToyCore
import IOToyDispatcher
import Logging
import Synchronization
import Testing
@testable import IOToyBoard

/// A component's own log lines name it: the logger a kind builds with carries the path.
@Suite struct ComponentLogTests {
    /// Collects every record's message and metadata.
    struct Capturing: LogHandler {
        let sink: Sink
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.records.withLock { $0.append((event.message.description, metadata.merging(event.metadata ?? [:]) { _, new in new })) }
        }
    }

    final class Sink: Sendable {
        let records = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    @Test func aSerialDevicesLinesCarryItsPath() async throws {
        let yaml = """
            device: rover
            hardware:
              uno: { kind: serial, port: /dev/ttyACM0 }
            resources:
              base: { kind: iotoy_serial, serial: uno, simulate: testhost }
            """
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: "rover.yaml")
        let sink = Sink()
        let logger = Logger(label: "test") { _ in Capturing(sink: sink) }
        let builder = TreeBuilder(platform: board.simulatedHardware().platform, logger: logger)
        let dispatcher = Dispatcher(tree: try builder.build(board).tree, clock: ContinuousClock(), wallClock: { 0 }, logger: logger)
        let running = Task { await dispatcher.run() }
        await dispatcher.waitUntilStarted()
        running.cancel()
        await running.value
        let introspected = sink.records.withLock { $0.first { $0.message == "serial device introspected" } }
        #expect(introspected?.metadata["path"] == "/base")
    }
}
