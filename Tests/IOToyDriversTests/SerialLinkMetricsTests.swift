import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import MetricsTestKit
import Testing

/// The link statistics a serial device records (Klipper's idea), counted against what the
/// simulated microcontroller actually received, in virtual time.
@Suite("Serial link statistics")
struct SerialLinkMetricsTests {
    typealias Bench = IOToySerialDeviceTests.Bench
    static let port = IOToySerialDeviceTests.port
    static let dimensions = [("port", port)]

    func counter(_ metrics: TestMetrics, _ name: String) throws -> Int64 {
        try metrics.expectCounter(name, Self.dimensions).totalValue
    }

    @Test func commandsBytesAndRoundTripsMatchWhatTheDeviceReceived() throws {
        let metrics = TestMetrics()
        let bench = Bench(metrics: SerialLinkMetrics(port: Self.port, factory: metrics))
        try bench.device.start()
        #expect(try bench.device.read(["ratio"]) == .float(0.5))
        #expect(try bench.device.call(["add"], arguments: [.int(2), .int(3)]) == .int(5))
        _ = try bench.device.call(["slow"], arguments: [.int(150)])   // answers 150 ms later, in virtual time
        let lines = bench.sim.receivedLines
        #expect(try counter(metrics, SerialLinkMetrics.Name.commands) == Int64(lines.count))
        #expect(try counter(metrics, SerialLinkMetrics.Name.sent) == Int64(lines.reduce(0) { $0 + $1.utf8.count + 1 }))
        #expect(try counter(metrics, SerialLinkMetrics.Name.received) > 0)
        let roundTrips = try metrics.expectTimer(SerialLinkMetrics.Name.roundTrip, Self.dimensions).values
        #expect(roundTrips.count == lines.count, "every command answered has its round trip")
        #expect(roundTrips.last == 150_000_000, "the slow call's round trip: \(roundTrips)")
        #expect(try counter(metrics, SerialLinkMetrics.Name.timeouts) == 0)
        #expect(try counter(metrics, SerialLinkMetrics.Name.resyncs) == 0)
    }

    @Test func aTimeoutThenTheResynchronisationAreCountedOnce() throws {
        let metrics = TestMetrics()
        let bench = Bench(metrics: SerialLinkMetrics(port: Self.port, factory: metrics)) { $0.functionTimeouts = ["label": .seconds(10)] }
        try bench.device.start()
        #expect(throws: HardwareError.self) { try bench.device.call(["slow"], arguments: [.int(3000)]) }
        #expect(try counter(metrics, SerialLinkMetrics.Name.timeouts) == 1)
        #expect(try counter(metrics, SerialLinkMetrics.Name.resyncs) == 0, "not yet back in step")
        #expect(try bench.device.read(["ratio"]) == .float(0.5))
        #expect(try counter(metrics, SerialLinkMetrics.Name.resyncs) == 1)
        // The ping that resynchronised is sent but is not one of the commands asked for.
        let pings = bench.sim.receivedLines.filter { $0 == "ping" }.count
        #expect(pings >= 1)
        #expect(try counter(metrics, SerialLinkMetrics.Name.commands) == Int64(bench.sim.receivedLines.count - pings))
    }

    @Test func aDeviceResetIsCounted() throws {
        let metrics = TestMetrics()
        let bench = Bench(metrics: SerialLinkMetrics(port: Self.port, factory: metrics))
        try bench.device.start()
        bench.ports.reset(Self.port)
        let error = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(error.kind == .disconnected)
        #expect(try counter(metrics, SerialLinkMetrics.Name.resets) == 1)
        #expect(try counter(metrics, SerialLinkMetrics.Name.timeouts) == 0)
    }
}
