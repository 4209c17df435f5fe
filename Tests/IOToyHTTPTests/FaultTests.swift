import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToyHAL
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyHTTP

/// Faults over HTTP on simulated hardware and a manual clock: the faulted part answers 503
/// naming its device while the rest keeps serving (the same bus included), it is in use again
/// within a second of the device returning however long it was away, and nothing is lost: a
/// write that was acknowledged reached the chip, and one that failed said so and left it as it was.
@Suite(.timeLimit(.minutes(1))) struct FaultTests {
    static let board = """
        device: faults
        hardware:
          i2c1: { kind: i2c, bus: 1 }
          hat: { kind: pca9685, i2c: i2c1, address: 0x40 }
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
        resources:
          climate: { kind: bme280, i2c: i2c1, address: 0x76, poll_ms: 1000 }
          lift: { kind: servo, pwm: hat/0, pulse_us: [500, 2500], angle: [0, 180], initial: 90 }
          led: { kind: gpio_out, line: gpio/GPIO17 }
        """

    static func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }

    /// Runs `body` with the tree behind the real responder.
    static func serve(_ tree: SimulatedTree, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(responder: IOToyResponder(dispatcher: tree.dispatcher))
        do {
            try await app.test(.router, body)
        } catch {
            await tree.stop()
            throw error
        }
        await tree.stop()
    }

    static func put(_ client: any TestClientProtocol, _ uri: String, _ body: String) async throws -> (Int, JSONValue?) {
        try await client.execute(uri: uri, method: .put, body: ByteBuffer(string: body)) { ($0.status.code, $0.json) }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (Int, JSONValue?) {
        try await client.execute(uri: uri, method: .get) { ($0.status.code, $0.json) }
    }

    @Test func aSensorAnsweringGarbageThenNackingIsFaultedAloneAndBackWithinASecond() async throws {
        let tree = try await SimulatedTree(yaml: Self.board)
        let bus = tree.hardware.i2c.bus(1)
        let hat = try #require(bus.device(at: 0x40) as? SimPCA9685)
        let gpio = try #require(tree.hardware.gpio.chip(.label("pinctrl-bcm2711")))
        try await Self.serve(tree) { client in
            var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
            #expect(try await Self.get(client, "/climate/temperature").0 == 200)

            // Garbage while running: every register reads 0xFF, so the status stays 'measuring'
            // and the next sample fails.
            bus.injectGarbage(at: 0x76)
            await tree.clock.waitForSleepers(1)                       // the sampler
            tree.clock.advance(by: .seconds(1))
            #expect(await events.next(.fault, at: Self.path("/climate")) != nil)
            let (status, faulted) = try await Self.get(client, "/climate/temperature")
            #expect(status == 503)
            #expect(faulted?["value"]?["error"]?.stringValue?.hasPrefix("hardware_") == true, "\(String(describing: faulted))")
            #expect(faulted?["value"]?["message"]?.stringValue?.contains("0x76") == true, "names the device: \(String(describing: faulted))")

            // The rest keeps serving, the PCA9685 on the same bus included.
            #expect(try await Self.put(client, "/lift", "45").0 == 200)
            #expect(abs(hat.pulseWidthNs(channel: 0) - 1_000_000) < 1_000)
            #expect(try await Self.put(client, "/led", "true").0 == 200)
            #expect(gpio.physicalLevel(line: .name("GPIO17")) == true)

            // Then it NACKs for a while: the restart after 0.5 s fails, and one every second
            // after that (the wait does not grow past a second, however long it is away).
            bus.injectGarbage(at: 0x76, false)
            bus.injectFault(at: 0x76, errno: 121)
            await tree.clock.waitForSleepers(1)                       // the supervisor's back-off
            tree.clock.advance(by: .milliseconds(500))
            for _ in 0..<7 {
                await tree.clock.waitForSleepers(1)                   // failed again, waiting again
                tree.clock.advance(by: .seconds(1))
            }
            await tree.clock.waitForSleepers(1)
            #expect(try await Self.get(client, "/climate/temperature").0 == 503)

            // The device returns: in use again at the next attempt, at most a second later.
            bus.injectFault(at: 0x76, errno: nil)
            tree.clock.advance(by: .seconds(1))
            #expect(await events.next(.recovered, at: Self.path("/climate")) != nil)
            let (recoveredStatus, value) = try await Self.get(client, "/climate/temperature")
            #expect(recoveredStatus == 200)
            #expect(value?["value"]?.doubleValue != nil)
        }
    }

    @Test func aWriteThatFailedSaysSoAndChangesNothingAndOneAcknowledgedReachedTheChip() async throws {
        let tree = try await SimulatedTree(yaml: Self.board)
        let bus = tree.hardware.i2c.bus(1)
        let hat = try #require(bus.device(at: 0x40) as? SimPCA9685)
        try await Self.serve(tree) { client in
            var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
            #expect(try await Self.put(client, "/lift", "45").0 == 200)
            let before = hat.pulseWidthNs(channel: 0)
            bus.injectFault(at: 0x40, errno: 121)
            let (status, refused) = try await Self.put(client, "/lift", "135")
            #expect(status == 503)
            #expect(refused?["value"]?["message"]?.stringValue?.contains("0x40") == true, "\(String(describing: refused))")
            #expect(hat.pulseWidthNs(channel: 0) == before, "the failed write left the chip as it was")
            #expect(try await Self.get(client, "/climate/temperature").0 == 200, "the sensor beside it keeps serving")

            bus.injectFault(at: 0x40, errno: nil)
            await tree.clock.waitForSleepers(2)                       // the sensor's sampler and the servo's back-off
            tree.clock.advance(by: .seconds(1))
            #expect(await events.next(.recovered, at: Self.path("/lift")) != nil)
            #expect(try await Self.put(client, "/lift", "135").0 == 200)
            #expect(abs(hat.pulseWidthNs(channel: 0) - 2_000_000) < 1_000, "the acknowledged write reached the chip")
        }
    }

    @Test func aLineHeldByAnotherProcessIsBusyUntilItIsLetGo() async throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: """
            device: faults
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              led: { kind: gpio_out, line: gpio/GPIO17 }
              button: { kind: gpio_in, line: gpio/GPIO27, bias: pull_up }
            """, file: "faults.yaml")
        let hardware = board.simulatedHardware()
        let gpio = try #require(hardware.gpio.chip(.label("pinctrl-bcm2711")))
        let other = try gpio.requestLine(.name("GPIO17"), settings: LineSettings(direction: .output(initial: false)), consumer: "gpioset")
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        try await Self.serve(tree) { client in
            var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
            let (status, busy) = try await Self.get(client, "/led")
            #expect(status == 503)
            #expect(busy?["value"]?["message"]?.stringValue?.contains("held by 'gpioset'") == true, "\(String(describing: busy))")
            #expect(try await Self.put(client, "/led", "true").0 == 503)
            #expect(gpio.physicalLevel(line: .name("GPIO17")) == false, "the other process's level stands")
            #expect(try await Self.get(client, "/button").0 == 200, "the rest of the chip serves")

            other.release()
            await tree.clock.waitForSleepers(1)
            tree.clock.advance(by: .seconds(1))
            #expect(await events.next(.recovered, at: Self.path("/led")) != nil)
            #expect(try await Self.put(client, "/led", "true").0 == 200)
            #expect(gpio.physicalLevel(line: .name("GPIO17")) == true)
        }
    }

    @Test func aSerialDeviceUnpluggedMidRequestFailsThatRequestAloneAndIsBackWithinASecondOfItsReturn() async throws {
        let port = "/dev/ttyACM0"
        let board = try BoardLoader(registry: .standard).parse(yaml: """
            device: faults
            hardware:
              uno: { kind: serial, port: \(port) }
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              base: { kind: iotoy_serial, serial: uno, timeouts_ms: { slow: 60000 } }
              led: { kind: gpio_out, line: gpio/GPIO17 }
            """, file: "faults.yaml")
        // A device that says when a command has reached it, and answers `slow` a minute later
        // (real time on the serial side: the request is truly in flight when the cable goes).
        let (received, device) = AsyncStream.makeStream(of: String.self)
        let uno = SimIOToyDevice(
            id: "uno", attributes: [.init("ratio:float - A float")], initialValues: ["ratio": "0.5"],
            functions: [
                .init("slow ms:int -> - Answer after ms milliseconds", duration: { .milliseconds(Int($0[0]) ?? 0) }) { _ in
                    device.yield("slow")
                    return .none
                }
            ])
        let hardware = SimulatedHardware()
        hardware.serial.attach(uno, at: port)
        board.addSimulation(to: hardware)
        let gpio = try #require(hardware.gpio.chip(.label("pinctrl-bcm2711")))
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        try await Self.serve(tree) { client in
            var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
            #expect(try await Self.put(client, "/base/ratio", "2.5").0 == 200)
            #expect(uno.value(of: "ratio") == "2.5", "the acknowledged write reached the device")

            // A call is on the wire, and the rest serves while it waits.
            let call = Task {
                try await client.execute(uri: "/base/slow", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "[60000]")) {
                    ($0.status.code, $0.json)
                }
            }
            var arrivals = received.makeAsyncIterator()
            #expect(await arrivals.next() == "slow")
            #expect(try await Self.put(client, "/led", "true").0 == 200)

            // The cable is pulled mid-call: that call fails, naming the port, without waiting
            // out its minute.
            hardware.serial.unplug(port)
            let (callStatus, callAnswer) = try await call.value
            #expect(callStatus == 503)
            #expect(callAnswer?["value"]?["message"]?.stringValue?.contains(port) == true, "\(String(describing: callAnswer))")
            #expect(await events.next(.fault, at: Self.path("/base")) != nil)

            // Unplugged: its resources answer 503 naming the port, a write says it failed and
            // changes nothing, and the rest keeps serving.
            let (status, unplugged) = try await Self.get(client, "/base/ratio")
            #expect(status == 503)
            #expect(unplugged?["value"]?["message"]?.stringValue?.contains(port) == true, "\(String(describing: unplugged))")
            #expect(try await Self.put(client, "/base/ratio", "3.5").0 == 503)
            #expect(uno.value(of: "ratio") == "2.5")
            #expect(try await Self.put(client, "/led", "false").0 == 200)
            #expect(gpio.physicalLevel(line: .name("GPIO17")) == false)

            // Away for a while: the reopen after 0.5 s fails, and one each second after that.
            await tree.clock.waitForSleepers(1)
            tree.clock.advance(by: .milliseconds(500))
            for _ in 0..<3 {
                await tree.clock.waitForSleepers(1)
                tree.clock.advance(by: .seconds(1))
            }
            await tree.clock.waitForSleepers(1)
            #expect(try await Self.get(client, "/base/ratio").0 == 503)

            // Plugged back: in use at the next attempt, at most a second later, with the value
            // the device kept.
            hardware.serial.replug(port)
            tree.clock.advance(by: .seconds(1))
            #expect(await events.next(.recovered, at: Self.path("/base")) != nil)
            let (back, ratio) = try await Self.get(client, "/base/ratio")
            #expect(back == 200)
            #expect(ratio?["value"]?.doubleValue == 2.5)
            #expect(try await Self.put(client, "/base/ratio", "3.5").0 == 200)
            #expect(uno.value(of: "ratio") == "3.5")
        }
    }
}
