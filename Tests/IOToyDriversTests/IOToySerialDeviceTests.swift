import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import Logging
import Testing

/// The serial component against simulated IOTOY devices in virtual time: a 5 s timeout
/// costs nothing, and reads return a few bytes at a time so every reply arrives in pieces.
@Suite("iotoy_serial against a simulated microcontroller")
struct IOToySerialDeviceTests {
    static let port = "/dev/serial/by-id/usb-test-if00"

    struct Bench {
        let ports: SimSerialProvider
        let device: IOToySerialDevice
        let sim: SimIOToyDevice

        init(_ sim: SimIOToyDevice = .testHost(), chunkBytes: Int = 3, bootDelay: Duration = .milliseconds(1500),
             metrics: SerialLinkMetrics? = nil, configure: (inout IOToySerialDevice.Configuration) -> Void = { _ in }) {
            ports = SimSerialProvider(clock: .virtual(), chunkBytes: chunkBytes, bootDelay: bootDelay)
            ports.attach(sim, at: IOToySerialDeviceTests.port)
            var configuration = IOToySerialDevice.Configuration(port: IOToySerialDeviceTests.port)
            configure(&configuration)
            device = IOToySerialDevice(
                configuration, provider: ports, logger: Logger(label: "test"), now: ports.clock.reading, metrics: metrics)
            self.sim = sim
        }

        var now: Duration { ports.clock.now() }
    }

    @Test func introspectsEveryAttributeAndFunctionTypedFromItsHelp() throws {
        let bench = Bench()
        try bench.device.start()
        let description = try #require(bench.device.deviceDescription)
        #expect(description.identity.deviceName == "testhost")
        #expect(description.attributes.map(\.name) == ["drive_forward_time_ms", "turn_time_ms", "str_id", "ratio", "some_flag"])
        #expect(description.attributes.map(\.type) == [.int, .int, .str, .float, .bool])
        #expect(description.attributes[1].help == "How long to turn, 0 to 10000")
        let add = try #require(description.functions.first { $0.name == "add" })
        #expect(add.spec == FunctionSpec(args: [Parameter("a", .int), Parameter("b", .int)], result: [Parameter("sum", .int)]))
        #expect(add.help == "Add two integers")
        #expect(!description.functions.contains { ["ping", "help", "get"].contains($0.name) })
        #expect(bench.device.endpoints.count == 5 + 10)
        // The ready line arrived after the simulated bootloader; nothing was sent before it.
        #expect(bench.sim.receivedLines.first == "funcs")
    }

    @Test func getAndSetEveryType() throws {
        let bench = Bench()
        try bench.device.start()
        let cases: [(String, Value)] = [("drive_forward_time_ms", .int(-1200)), ("str_id", .str("two words")), ("ratio", .float(2.25)), ("some_flag", .bool(true))]
        for (name, value) in cases {
            try bench.device.write([name], value: value)
            #expect(try bench.device.read([name]) == value)
        }
        #expect(bench.sim.receivedLines.contains("set some_flag True"))
        try bench.device.write(["str_id"], value: .str(""))
        #expect(try bench.device.read(["str_id"]) == .str(""))
    }

    @Test func functionsWithNoneOneAndTwoArguments() throws {
        let bench = Bench()
        try bench.device.start()
        #expect(try bench.device.call(["barecommand"], arguments: []) == nil)
        #expect(try bench.device.call(["one_arg_int_result_int"], arguments: [.int(41)]) == .int(41))
        #expect(try bench.device.call(["add"], arguments: [.int(2), .int(3)]) == .int(5))
        #expect(try bench.device.call(["scale"], arguments: [.float(1.5), .float(4)]) == .float(6))
        #expect(try bench.device.call(["not"], arguments: [.bool(false)]) == .bool(true))
        #expect(try bench.device.call(["label"], arguments: [.int(3), .str("some words")]) == .str("3: some words"))
    }

    @Test func deviceErrorsAreTheDevicesRefusalsAndTheComponentStaysUp() throws {
        let bench = Bench()
        try bench.device.start()
        // The device's own refusal is not one of iotoyd's limits (out of range): device_refused (409).
        let refused = try #require(throws: ComponentError.self) { try bench.device.write(["turn_time_ms"], value: .int(20000)) }
        #expect(refused.kind == .deviceRefused)
        #expect(refused.detail == "500:Bad Value:-")
        let division = try #require(throws: ComponentError.self) { try bench.device.call(["divide"], arguments: [.int(1), .int(0)]) }
        #expect(division.kind == .deviceRefused)
        let unknown = try #require(throws: ComponentError.self) { try bench.device.read(["no_such"]) }
        #expect(unknown.kind == .noSuchResource)
        #expect(try bench.device.read(["turn_time_ms"]) == .int(800), "refused values change nothing")
    }

    @Test func aLineOf140BytesIsRefusedBeforeSending() throws {
        let bench = Bench()
        try bench.device.start()
        let sent = bench.sim.receivedLines.count
        let error = try #require(throws: ComponentError.self) {
            try bench.device.write(["str_id"], value: .str(String(repeating: "x", count: 129)))
        }
        #expect(error.kind == .commandRefused)
        #expect(error.message.contains("140 bytes"))
        #expect(bench.sim.receivedLines.count == sent, "nothing was sent")
        try bench.device.write(["str_id"], value: .str(String(repeating: "x", count: 128)))
        #expect(bench.sim.receivedLines.last?.utf8.count == 139)
    }

    @Test func aSlowFunctionTimesOutThenTheLateReplyNeverPairsWithTheNextCommand() throws {
        // Some function may take 10 s, so a device silent for a few seconds is busy, not gone.
        let bench = Bench { $0.functionTimeouts = ["label": .seconds(10)] }
        try bench.device.start()
        let before = bench.now
        let error = try #require(throws: HardwareError.self) { try bench.device.call(["slow"], arguments: [.int(5000)]) }
        #expect(error.kind == .timeout)
        #expect(bench.now - before == .seconds(2), "the default timeout, in virtual time")
        // The device is busy for 3 s more: a command now is refused (504) without being sent.
        let busy = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(busy.kind == .timeout)
        #expect(busy.message?.contains("still busy") == true)
        #expect(bench.sim.receivedLines.suffix(2) == ["slow 5000", "ping"])
        // Once the move is over, the late reply and both pongs are dropped, and replies pair up again.
        #expect(try bench.device.read(["ratio"]) == .float(0.5))
        #expect(try bench.device.call(["add"], arguments: [.int(1), .int(1)]) == .int(2))
        #expect(bench.sim.receivedLines.suffix(4) == ["ping", "ping", "get ratio", "add 1 1"])
    }

    @Test func aDeviceSilentLongerThanAnyTimeoutIsTreatedAsGone() throws {
        let bench = Bench()
        try bench.device.start()
        #expect(throws: HardwareError.self) { try bench.device.call(["slow"], arguments: [.int(60_000)]) }
        // Silent for the longest timeout (2 s) and the resynchronisation's 2 s: reopen the port.
        let error = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(error.kind == .io)
        #expect(error.message?.contains("said nothing") == true)
    }

    @Test func perFunctionTimeoutsLetSlowMovesFinish() throws {
        let bench = Bench { $0.functionTimeouts = ["slow": .seconds(6)] }
        try bench.device.start()
        #expect(try bench.device.call(["slow"], arguments: [.int(5000)]) == nil)
        #expect(bench.device.endpoints.contains { endpoint in
            if case .function(let info) = endpoint.kind, endpoint.path == ["slow"] { return info.timeout == .seconds(6) }
            return false
        })
    }

    @Test func aDeviceThatPrintsNoReadyLineIsProbedWithDevinfo() throws {
        let bench = Bench(SimIOToyDevice(id: "leonardo", attributes: [], functions: [], printsReadyLine: false))
        let before = bench.now
        try bench.device.start()
        #expect(bench.device.deviceDescription?.identity.deviceName == "leonardo")
        #expect(bench.sim.receivedLines.first == "devinfo")
        #expect(bench.now - before >= .milliseconds(3500), "it waited for the ready line first")
        #expect(bench.device.endpoints.isEmpty)
    }

    @Test func aDeviceWithoutHelpOrWithChatterStillWorks() throws {
        let sim = SimIOToyDevice(
            id: "terse", attributes: [.init("level:int"), .init("odd:widget")], functions: [.init("beep -> - Beep") { _ in .none }],
            answersHelp: false, chatter: "DBG loop=12")
        let bench = Bench(sim, chunkBytes: 1)
        try bench.device.start()
        let description = try #require(bench.device.deviceDescription)
        #expect(description.attributes.map(\.type) == [.int, .str])
        #expect(description.functions.map(\.spec) == [FunctionSpec()])
        #expect(description.functions[0].help.contains("no help"))
        try bench.device.write(["level"], value: .int(7))
        #expect(try bench.device.read(["level"]) == .int(7))
        #expect(try bench.device.call(["beep"], arguments: []) == nil)
    }

    @Test func somethingThatIsNotAnIOTOYDeviceIsRefusedNamingThePort() throws {
        let bench = Bench(SimIOToyDevice(id: "9 lives", attributes: [], functions: [], printsReadyLine: false))
        let error = try #require(throws: HardwareError.self) { try bench.device.start() }
        #expect(error.kind == .io)
        #expect(error.device == Self.port)
        #expect(error.message?.contains("not an IOTOY device") == true)
    }

    @Test func aMissingPortIsNotFoundNamingIt() throws {
        let bench = Bench()
        bench.ports.unplug(Self.port)
        let missing = try #require(throws: HardwareError.self) { try bench.device.start() }
        #expect(missing.kind == .notFound)
        #expect(missing.device == Self.port)
    }

    @Test func unplugIsAHangUpAndReplugFindsTheNewSketch() throws {
        let bench = Bench()
        try bench.device.start()
        bench.ports.unplug(Self.port)
        let error = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(error.kind == .disconnected)
        let idle = try #require(throws: HardwareError.self) { _ = try bench.device.waitForEvents(timeout: .milliseconds(50)) }
        #expect(idle.kind == .disconnected)
        bench.device.stop()
        #expect(throws: HardwareError.self) { try bench.device.start() }
        bench.ports.replug(Self.port, device: .legController())
        try bench.device.start()
        #expect(bench.device.deviceDescription?.identity.deviceName == "legcontroller")
        #expect(bench.device.endpoints.map(\.path) == [["lift"], ["swing"], ["move"], ["center"]])
        #expect(bench.ports.openCount(Self.port) == 2)
    }

    @Test func anUnsolicitedReplyNeverPassesForTheNextCommandsAnswer() throws {
        let bench = Bench()
        try bench.device.start()
        bench.ports.emit("200:Found:999", at: Self.port)
        _ = try bench.device.waitForEvents(timeout: .zero)   // nothing read yet: the line waits in the port
        #expect(try bench.device.read(["ratio"]) == .float(0.5))
    }

    @Test func aResetWhileARepliesIsOwedIsStillAReset() throws {
        let bench = Bench()
        try bench.device.start()
        #expect(throws: HardwareError.self) { try bench.device.call(["slow"], arguments: [.int(2500)]) }
        bench.ports.reset(Self.port)
        let error = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(error.kind == .disconnected, "the ready line is not taken for the late reply: \(error)")
    }

    @Test func aMoveLongerThanItsTimeoutIsWaitedOutNotGivenUp() throws {
        let bench = Bench(.botHost()) { $0.functionTimeouts = ["forward": .seconds(3)] }
        try bench.device.start()
        let error = try #require(throws: HardwareError.self) { try bench.device.call(["forward"], arguments: [.int(4000)]) }
        #expect(error.kind == .timeout)
        #expect(try bench.device.read(["speed"]) == .int(100), "the move ended within the next command's wait")
    }

    @Test func intsBeyond32BitsAreRefusedBeforeSending() throws {
        let bench = Bench()
        try bench.device.start()
        let sent = bench.sim.receivedLines.count
        let error = try #require(throws: ComponentError.self) { try bench.device.write(["drive_forward_time_ms"], value: .int(1 << 40)) }
        #expect(error.kind == .outOfRange)
        #expect(bench.sim.receivedLines.count == sent)
    }

    @Test func aResetIsNoticedWhileIdleAndBeforeACommand() throws {
        let bench = Bench()
        try bench.device.start()
        #expect(try bench.device.waitForEvents(timeout: .milliseconds(50)).isEmpty)
        bench.ports.reset(Self.port)
        let idle = try #require(throws: HardwareError.self) { _ = try bench.device.waitForEvents(timeout: .milliseconds(50)) }
        #expect(idle.kind == .disconnected)
        #expect(idle.message?.contains("reset") == true)
        bench.device.stop()
        try bench.device.start()
        bench.ports.reset(Self.port)
        let during = try #require(throws: HardwareError.self) { try bench.device.read(["ratio"]) }
        #expect(during.kind == .disconnected)
    }

    @Test func theSafeStateIsTheBoardsChosenFunction() throws {
        let bench = Bench(.botHost()) { $0.safeStateFunction = "stop" }
        try bench.device.start()
        try bench.device.enterSafeState()
        #expect(bench.sim.receivedLines.last == "stop")
        let without = Bench(.botHost())
        try without.device.start()
        try without.device.enterSafeState()
        #expect(without.sim.receivedLines.last != "stop")
        let missing = Bench(.testHost()) { $0.safeStateFunction = "stop" }
        try missing.device.start()
        try missing.device.enterSafeState()
        #expect(!missing.sim.receivedLines.contains("stop"), "a function the device lacks is not sent")
    }
}
