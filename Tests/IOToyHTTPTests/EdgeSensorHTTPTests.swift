import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyHTTP

/// hc_sr04 and encoder through the real responder over HTTP, on simulated lines: the
/// ranger's distance in cm, a missed echo as 200 with a null value and a reason, the
/// encoder's count from injected edges, 422 for a count other than 0.
@Suite struct EdgeSensorHTTPTests {
    static let board = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
        resources:
          range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, max_cm: 300 }
          wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6 }
        """

    @Test func rangeAndCountOverHTTP() async throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board, file: "rover.yaml")
        let hardware = board.simulatedHardware()
        let chip = try #require(hardware.gpio.chip(.label("pinctrl-bcm2711")))
        // The simulation fitter attached the ranger's line-level model to the board's lines.
        let ranger = try #require(hardware.gpio.models(of: SimHCSR04.self).first)
        ranger.distanceCm = 250
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        let app = Application(responder: IOToyResponder(dispatcher: tree.dispatcher))
        let changes = tree.dispatcher.changes
        do {
            try await app.test(.router) { client in
                try await client.execute(uri: "/range/distance", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.json?["type"] == .string("iotoy.org/types/float"))
                    #expect(abs((response.json?["value"]?.doubleValue ?? 0) - 250) < 1e-4)
                    #expect(response.json?["constraints"]?["max"]?.doubleValue == 300)
                    #expect(response.json?["constraints"]?["unit"] == .string("cm"))
                }
                try await client.execute(uri: "/range/echo_us", method: .get) { response in
                    // 2 × 2.5 m / 343 m/s = 14577.3 µs.
                    #expect(abs((response.json?["value"]?.doubleValue ?? 0) - 14_577.26) < 0.01)
                }
                // Nothing within range: 200, null, and why.
                var events = changes.subscribe().makeAsyncIterator()
                ranger.distanceCm = 350
                await tree.clock.waitForSleepers(1)
                tree.clock.advance(by: .milliseconds(100))
                var pending: Set<String> = ["/range/reason", "/range/distance"]
                while !pending.isEmpty, let event = await events.next() {
                    if event.value != .string("echo received"), event.value?.doubleValue == nil { pending.remove(event.path.description) }
                }
                try await client.execute(uri: "/range/reason", method: .get) { response in
                    #expect(response.json?["value"] == .string("nothing within 300 cm: the echo lasted 20.4 ms, longer than the 17.5 ms round trip"))
                }
                try await client.execute(uri: "/range/distance", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.json?["value"] == .null)
                }
                // The encoder: one forward cycle.
                for (index, (line, level)) in [("GPIO5", true), ("GPIO6", true), ("GPIO5", false), ("GPIO6", false)].enumerated() {
                    try chip.setExternalLevel(level, line: .name(line), timestampNs: 1_000_000 + UInt64(index) * 500_000)
                }
                while let event = await events.next(), !(event.path.description == "/wheel/count" && event.value == .int(4)) {}
                try await client.execute(uri: "/wheel/count", method: .get) { response in
                    #expect(response.json?["value"] == .int(4))
                }
                try await client.execute(uri: "/wheel/count", method: .put, body: ByteBuffer(string: "7")) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(response.json?["value"]?["error"] == .string("out_of_range"))
                }
                try await client.execute(uri: "/wheel/count", method: .put, body: ByteBuffer(string: "0")) { response in
                    #expect(response.status == .ok)
                    #expect(response.json?["value"] == .int(0))
                }
                try await client.execute(uri: "/wheel/rate", method: .put, body: ByteBuffer(string: "0")) { response in
                    #expect(response.status == .methodNotAllowed)
                }
            }
        } catch {
            await tree.stop()
            throw error
        }
        await tree.stop()
    }
}
