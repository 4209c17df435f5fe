import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import Logging
import Synchronization
import Testing

/// The text-protocol component against a simulated text device in virtual time: a 500 ms
/// timeout costs nothing, and reads return three bytes at a time, so every line arrives in pieces.
@Suite("serial_text against a simulated text device")
struct SerialTextDeviceTests {
    static let port = "/dev/serial/by-id/usb-relay-if00"

    /// A relay board with a thermometer and a GPS-like unsolicited sentence.
    static func attributes() throws -> [SerialTextAttribute] {
        [
            SerialTextAttribute(
                name: "relay1", type: .bool, map: [("ON", .bool(true)), ("OFF", .bool(false))],
                read: .init(query: "STATUS1", pattern: try SerialTextPattern("^RELAY1=(?<value>ON|OFF)$")),
                write: .init(template: "RELAY1 {value}", expect: try SerialTextPattern("^OK$"))),
            SerialTextAttribute(
                name: "temperature", type: .float, constraints: Constraints(unit: "degC"),
                read: .init(query: "T?", pattern: try SerialTextPattern("^T=(?<value>-?[0-9.]+)$")), listen: true),
            SerialTextAttribute(
                name: "fix", type: .str, read: .init(query: nil, pattern: try SerialTextPattern(#"^\$GPGGA,(?<value>[^*]*)"#))),
            SerialTextAttribute(
                name: "setpoint", type: .float, constraints: Constraints(min: 5, max: 30, unit: "degC"),
                read: .init(query: "SP?", pattern: try SerialTextPattern("^SP=(?<value>.*)$")),
                write: .init(template: "SP {value}", expect: try SerialTextPattern("^OK$"), decimals: 1)),
            SerialTextAttribute(
                name: "label", type: .str, read: .init(query: "NAME?", pattern: try SerialTextPattern("^NAME=(?<value>.*)$")),
                write: .init(template: "NAME {value}")),
        ]
    }

    /// What the real board in these tests says: a table, plus state the writes change.
    final class RelayBoard: Sendable {
        let device: SimTextDevice
        init() {
            let relay = Mutex("OFF")
            device = SimTextDevice(id: "relays") { line in
                switch line {
                case "STATUS1": return ["RELAY1=\(relay.withLock { $0 })"]
                case "RELAY1 ON", "RELAY1 OFF":
                    relay.withLock { $0 = String(line.dropFirst(7)) }
                    return ["OK"]
                case "RELAY1 BAD": return ["ERR 3 bad state"]
                case "T?": return ["T=21.5"]
                case "SP?": return ["SP=20.0"]
                case let set where set.hasPrefix("SP "): return ["OK"]
                case "ALLOFF": return ["OK"]
                default: return ["ERR unknown command"]
                }
            }
        }
    }

    struct Bench {
        let ports: SimSerialProvider
        let component: SerialTextDevice
        let sim: SimTextDevice

        init(_ sim: SimTextDevice = RelayBoard().device, chunkBytes: Int = 3, configure: (inout SerialTextDevice.Configuration) throws -> Void = { _ in }) throws {
            ports = SimSerialProvider(clock: .virtual(), chunkBytes: chunkBytes)
            ports.attach(sim, at: SerialTextDeviceTests.port)
            var configuration = SerialTextDevice.Configuration(
                port: SerialTextDeviceTests.port, timeout: .milliseconds(500), errorPattern: try SerialTextPattern("^ERR"),
                attributes: try SerialTextDeviceTests.attributes(),
                functions: [SerialTextFunction(name: "all_off", line: "ALLOFF", expect: try SerialTextPattern("^OK$"))])
            try configure(&configuration)
            component = SerialTextDevice(configuration, provider: ports, logger: Logger(label: "test"), now: ports.clock.reading)
            self.sim = sim
            try component.start()
        }

        var now: Duration { ports.clock.now() }
    }

    @Test func aQueryIsAnsweredThroughTheMapAndTheUnit() throws {
        let bench = try Bench()
        #expect(try bench.component.read(["relay1"]) == .bool(false))
        #expect(try bench.component.read(["temperature"]) == .float(21.5))
        #expect(bench.sim.receivedLines == ["STATUS1", "T?"])
        let endpoints = bench.component.endpoints
        #expect(endpoints.map(\.path) == [["relay1"], ["temperature"], ["fix"], ["setpoint"], ["label"], ["all_off"]])
        guard case .attribute(let temperature) = endpoints[1].kind else { Issue.record("not an attribute"); return }
        #expect(temperature.constraints?.unit == "degC")
        #expect(!temperature.writable)
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func linesEndingInCRLFOrLFOrCRArriveByteByByte(_ ending: String) throws {
        let sim = RelayBoard().device
        sim.lineEnding = ending
        let bench = try Bench(sim, chunkBytes: 1)
        #expect(try bench.component.read(["temperature"]) == .float(21.5))
        #expect(try bench.component.read(["relay1"]) == .bool(false))
    }

    @Test func theNewlineSentIsTheBoards() throws {
        // The simulated device ends a line at CR or LF alike; it records what came before.
        let sim = SimTextDevice { $0 == "T?" ? ["T=1"] : [] }
        let bench = try Bench(sim) { $0.newline = "\r" }
        #expect(try bench.component.read(["temperature"]) == .float(1))
        #expect(sim.receivedLines == ["T?"])
    }

    @Test func writeWithAcknowledgementChangesTheDevice() throws {
        let bench = try Bench()
        try bench.component.write(["relay1"], value: .bool(true))
        #expect(bench.sim.receivedLines.last == "RELAY1 ON")
        #expect(try bench.component.read(["relay1"]) == .bool(true))
        try bench.component.write(["setpoint"], value: .float(21.46))
        #expect(bench.sim.receivedLines.last == "SP 21.5", "one decimal, as the board says")
        #expect(try bench.component.call(["all_off"], arguments: []) == nil)
        #expect(bench.sim.receivedLines.last == "ALLOFF")
    }

    @Test func aWriteWithoutExpectDoesNotWait() throws {
        let sim = SimTextDevice(answers: [:])
        sim.isSilent = true
        let bench = try Bench(sim)
        let before = bench.now
        try bench.component.write(["label"], value: .str("kitchen lamp"))
        #expect(sim.receivedLines == ["NAME kitchen lamp"])
        #expect(bench.now == before, "nothing awaited")
    }

    @Test func anErrorLineIsTheDevicesRefusalOrError() throws {
        let relay = try Bench { configuration in
            configuration.attributes[0] = SerialTextAttribute(
                name: "relay1", type: .str,
                read: .init(query: "STATUS1", pattern: try SerialTextPattern("^RELAY1=(?<value>ON|OFF)$")),
                write: .init(template: "RELAY1 {value}", expect: try SerialTextPattern("^OK$")))
        }
        let refused = try #require(throws: ComponentError.self) { try relay.component.write(["relay1"], value: .str("BAD")) }
        #expect(refused.kind == .deviceRefused)
        #expect(refused.detail == "ERR 3 bad state")
        // A query the device does not know: its error line, not a wait for the timeout.
        let sim = SimTextDevice { _ in ["ERR unknown command"] }
        let bench = try Bench(sim)
        let before = bench.now
        let error = try #require(throws: ComponentError.self) { try bench.component.read(["temperature"]) }
        #expect(error.kind == .deviceError)
        #expect(bench.now == before)
    }

    @Test func aSilentDeviceTimesOutAfterTimeoutMsAndTheComponentStaysUsable() throws {
        let bench = try Bench()
        bench.sim.isSilent = true
        let before = bench.now
        let error = try #require(throws: HardwareError.self) { try bench.component.read(["relay1"]) }
        #expect(error.kind == .timeout)
        #expect(bench.now - before == .milliseconds(500))
        #expect(error.message?.contains("^RELAY1=(?<value>ON|OFF)$") == true)
        let write = try #require(throws: HardwareError.self) { try bench.component.write(["relay1"], value: .bool(true)) }
        #expect(write.kind == .timeout)
        bench.sim.isSilent = false
        #expect(try bench.component.read(["temperature"]) == .float(21.5))
    }

    @Test func aSlowAnswerWithinTheTimeoutIsTaken() throws {
        let bench = try Bench()
        bench.sim.replyDelay = .milliseconds(450)
        let before = bench.now
        #expect(try bench.component.read(["temperature"]) == .float(21.5))
        #expect(bench.now - before == .milliseconds(450))
    }

    @Test func unsolicitedLinesUpdateListeningAttributesThroughEvents() throws {
        let bench = try Bench()
        bench.sim.emit("T=22.25")
        bench.sim.emit("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47")
        bench.sim.emit("RELAY1=ON")   // relay1 does not listen: skipped
        var events: [ComponentEvent] = []
        while events.count < 2 { events += try bench.component.waitForEvents(timeout: .milliseconds(50)) }
        #expect(events == [
            ComponentEvent(path: ["temperature"], value: .float(22.25)),
            ComponentEvent(path: ["fix"], value: .str("123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")),
        ])
        #expect(try bench.component.waitForEvents(timeout: .milliseconds(50)).isEmpty)
        #expect(try bench.component.read(["fix"]) == .str("123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"))
        #expect(!bench.sim.receivedLines.contains { $0.contains("GPGGA") }, "no query: served from what the device sent")
    }

    @Test func linesArrivingDuringAQueryReachTheFeedAfterIt() throws {
        let sim = SimTextDevice { line in line == "STATUS1" ? ["T=19.0", "noise", "RELAY1=ON"] : [] }
        let bench = try Bench(sim)
        #expect(try bench.component.read(["relay1"]) == .bool(true))
        let before = bench.now
        #expect(try bench.component.waitForEvents(timeout: .milliseconds(50)) == [ComponentEvent(path: ["temperature"], value: .float(19))])
        #expect(bench.now == before, "pending updates are handed over without waiting")
    }

    @Test func anAttributeWithoutQueryWaitsForItsFirstLineThen504() throws {
        let bench = try Bench()
        let before = bench.now
        let error = try #require(throws: HardwareError.self) { try bench.component.read(["fix"]) }
        #expect(error.kind == .timeout)
        #expect(error.message?.contains("has sent no line matching") == true)
        #expect(bench.now - before == .milliseconds(500))
        #expect(bench.sim.receivedLines.isEmpty, "nothing is sent to ask")
    }

    @Test func garbageIsSkippedAndAMatchThatIsNoNumberIsABadReply() throws {
        let sim = SimTextDevice { $0 == "T?" ? ["T=1.2.3"] : $0 == "STATUS1" ? ["RELAY1=ON"] : [] }
        let bench = try Bench(sim)
        sim.emit(bytes: [0x00, 0xFF, 0xFE, 0x0A] + Array(repeating: UInt8(ascii: "x"), count: 5000) + [0x0A])
        sim.emit("RELAY1=MAYBE")
        #expect(try bench.component.read(["relay1"]) == .bool(true))
        let error = try #require(throws: ComponentError.self) { try bench.component.read(["temperature"]) }
        #expect(error.kind == .badDeviceReply)
        #expect(error.message.contains("'1.2.3'"))
    }

    @Test func limitsAndMapsAreRefusedWithNothingWritten() throws {
        let bench = try Bench()
        let tooWarm = try #require(throws: ComponentError.self) { try bench.component.write(["setpoint"], value: .float(31)) }
        #expect(tooWarm.kind == .outOfRange)
        #expect(tooWarm.detail == "min 5, max 30")
        let twoLines = try #require(throws: ComponentError.self) { try bench.component.write(["label"], value: .str("a\r\nRELAY1 ON")) }
        #expect(twoLines.kind == .commandRefused)
        let readOnly = try #require(throws: ComponentError.self) { try bench.component.write(["temperature"], value: .float(3)) }
        #expect(readOnly.kind == .readOnly)
        #expect(bench.sim.receivedLines.isEmpty)
    }

    @Test func anUnpluggedPortFaultsAndReopensWhenBack() throws {
        let bench = try Bench()
        bench.ports.unplug(SerialTextDeviceTests.port)
        let error = try #require(throws: HardwareError.self) { try bench.component.read(["relay1"]) }
        #expect(error.kind == .disconnected)
        bench.component.stop()
        let missing = try #require(throws: HardwareError.self) { try bench.component.start() }
        #expect(missing.kind == .notFound)
        bench.ports.replug(SerialTextDeviceTests.port)
        try bench.component.start()
        #expect(try bench.component.read(["relay1"]) == .bool(false))
        #expect(bench.ports.openCount(SerialTextDeviceTests.port) == 2)
    }

    @Test func aQueuedRequestEndsTheIdleWatchAtOnce() throws {
        let bench = try Bench()
        let before = bench.now
        bench.component.interruptEventWait()
        #expect(try bench.component.waitForEvents(timeout: .seconds(1)).isEmpty)
        #expect(bench.now == before, "the owner is given back without waiting out the slice")
        #expect(try bench.component.waitForEvents(timeout: .milliseconds(50)).isEmpty)
        #expect(bench.now - before == .milliseconds(50), "otherwise the watch waits its slice")
    }

    @Test func theIdleWatchSeesAHangUp() throws {
        let bench = try Bench()
        bench.ports.unplug(SerialTextDeviceTests.port)
        let error = try #require(throws: HardwareError.self) { try bench.component.waitForEvents(timeout: .milliseconds(50)) }
        #expect(error.kind == .disconnected)
    }
}
