import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyLinux
import IOToySim
import IOToyTesting
import Logging
import Synchronization
import Testing
@testable import IOToyMetrics

/// The exporter over a board on simulated hardware: the scrape-time gauges, series that go
/// when their component leaves the tree in a reload, the serial link's statistics through
/// the board's factory, and the process read from `/proc`.
@Suite struct MetricsExporterTests {
    static let board = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }
          arduino: { kind: serial, port: /dev/ttyACM0 }
        resources:
          tail: { kind: servo, pwm: pwm/0, limits: [20, 160], initial: 90 }
          bumper: { kind: gpio_in, line: gpio/GPIO27, edge: both }
          legs: { kind: iotoy_serial, serial: arduino, simulate: legcontroller }
        """

    /// The board running on simulated hardware (IOToyTesting's rig) with an exporter whose
    /// wall clock starts at 1_700_000_000 and which `scrapeTime` moves.
    struct Running {
        let exporter: MetricsExporter
        let tree: SimulatedTree
        let scrapeTime = WallClock()

        init(_ yaml: String, process: @escaping @Sendable () -> MetricsExporter.ProcessSample = { .init() }) async throws {
            let scrapeTime = scrapeTime
            exporter = MetricsExporter(
                catalogue: MetricsCatalogue(MetricsExporter.standardDescriptions), wallClock: { scrapeTime.now.withLock { $0 } },
                process: process)
            tree = try await SimulatedTree(yaml: yaml, file: "rover.yaml", metrics: exporter.factory)
        }

        var dispatcher: Dispatcher { tree.dispatcher }
        var builder: TreeBuilder { tree.builder }
        var text: String { String(decoding: exporter.render(dispatcher), as: UTF8.self) }

        func stop() async { await tree.stop() }
    }

    @Test func theSerialLinkAndEveryComponentAppearWithTheirLabels() async throws {
        let running = try await Running(Self.board)
        running.scrapeTime.now.withLock { $0 += 100 }
        let text = running.text
        await running.stop()
        #expect(text.contains(#"iotoyd_component_state{path="/legs",kind="iotoy_serial",state="running"} 1.0"#), "\(text)")
        #expect(text.contains(#"iotoyd_component_state{path="/bumper",kind="gpio_in",state="running"} 1.0"#))
        // The introspection's commands went over the link: help, then a get per attribute.
        let commands = text.split(separator: "\n").first { $0.hasPrefix(#"iotoyd_serial_commands_total{port="/dev/ttyACM0"}"#) }
        #expect(commands.flatMap { Int($0.split(separator: " ").last!) }.map { $0 > 0 } == true, "\(String(describing: commands))")
        #expect(text.contains(#"iotoyd_serial_round_trip_seconds_count{port="/dev/ttyACM0"}"#))
        #expect(text.contains("iotoyd_uptime_seconds 100.0"), "started at …000, scraped at …100")
        #expect(!text.contains("process_"), "no process sample given")
    }

    @Test func aRemovedComponentsSeriesGoWithItAndAKeptOnesCountsGoOn() async throws {
        let running = try await Running(Self.board)
        _ = try await running.dispatcher.put(try ResourcePath(parsing: "/tail"), .text("120"))
        let before = running.text
        #expect(before.contains(#"path="/bumper""#))
        #expect(before.contains(#"iotoyd_hardware_operations_total{path="/tail"} 1"#), "\(before)")
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board.replacingOccurrences(
            of: "  bumper: { kind: gpio_in, line: gpio/GPIO27, edge: both }\n", with: ""), file: "rover.yaml")
        await running.dispatcher.replaceTree(with: try running.builder.build(board).tree)
        let after = running.text
        await running.stop()
        #expect(!after.contains(#"path="/bumper""#), "\(after)")
        #expect(!after.contains(#"owner="gpio/GPIO27""#), "its owner stopped: \(after)")
        #expect(after.contains(#"iotoyd_hardware_operations_total{path="/tail"} 1"#))
    }

    @Test func theProcessIsReadFromProc() async throws {
        let running = try await Running(Self.board) {
            let process = ProcessStatistics.current()
            return .init(
                residentMemoryBytes: process.residentMemoryBytes.map(Double.init),
                openFileDescriptors: process.openFileDescriptors.map(Double.init), startTimeSeconds: process.startTimeSeconds)
        }
        let lines = running.text.split(separator: "\n")
        await running.stop()
        func value(_ name: String) -> Double? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last!) }
        }
        let resident = try #require(value("process_resident_memory_bytes"))
        #expect(resident > 1_000_000 && resident < 4_000_000_000, "\(resident)")
        let descriptors = try #require(value("process_open_fds"))
        #expect(descriptors >= 3, "at least the standard streams: \(descriptors)")
        let started = try #require(value("process_start_time_seconds"))
        #expect(started > 1_600_000_000, "\(started)")
    }

    @Test func aFamilyMissingFromTheCatalogueSaysSo() {
        let exporter = MetricsExporter(catalogue: MetricsCatalogue([]), wallClock: { 0 })
        exporter.http.record(method: "GET", status: 200, duration: .milliseconds(1))
        let text = String(decoding: exporter.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains("# HELP iotoyd_http_requests_total \(MetricsCatalogue.undescribed)"))
    }
}

/// A wall clock a test moves.
final class WallClock: Sendable {
    let now = Mutex(1_700_000_000.0)
}
