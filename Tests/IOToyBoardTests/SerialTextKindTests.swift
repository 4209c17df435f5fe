import IOToyCore
import IOToyDrivers
import IOToySim
import Logging
import Testing
@testable import IOToyBoard

/// The `serial_text` kind: what a board entry becomes, and the device `--simulate` makes of it.
@Suite struct SerialTextKindTests {
    static let yaml = #"""
        device: bench
        hardware:
          uno: { kind: serial, port: /dev/ttyUSB3, baud: 9600 }
        resources:
          relays:
            kind: serial_text
            serial: uno
            newline: "\n"
            timeout_ms: 250
            error: "^ERR"
            attributes:
              relay1:
                type: bool
                map: { "ON": true, "OFF": false }
                read: { query: "STATUS1", pattern: "^RELAY1=(?<value>ON|OFF)$" }
                write: { send: "RELAY1 {value}", expect: "^OK$" }
              level:
                type: int
                min: -10
                max: 10
                unit: dB
                help: Volume
                read: { query: "LVL?", pattern: "^LVL (?<value>-?[0-9]+)$" }
                write: { send: "LVL {value}", expect: "^OK$" }
              fix:
                type: str
                read: { pattern: "^\\$GPGGA,(?<value>[^*]*)" }
            functions:
              reset: { send: "RESET", expect: "^READY$" }
        """#

    static func device() throws -> (SerialTextDevice, SimulatedHardware) {
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: "bench.yaml")
        let hardware = board.simulatedHardware()
        let plan = try #require(board.components.first).plan
        #expect(plan.owner == .serialPort("uno"))
        #expect(plan.claims.map(\.resource) == [.serialPort(entry: "uno")])
        let tree = try TreeBuilder(platform: hardware.platform).build(board).tree
        let configuration = try #require(tree.mounts.first?.component as? SerialTextDevice).configuration
        let virtualPorts = SimSerialProvider(clock: .virtual(), chunkBytes: 2)
        virtualPorts.attach(try #require(hardware.serial.peer(at: "/dev/ttyUSB3")), at: "/dev/ttyUSB3")
        return (SerialTextDevice(configuration, provider: virtualPorts, logger: Logger(label: "test"), now: virtualPorts.clock.reading), hardware)
    }

    @Test func theEntryBecomesTypedLimitedAttributesAndAFunction() throws {
        let (device, _) = try Self.device()
        #expect(device.configuration.newline == "\n")
        #expect(device.configuration.timeout == .milliseconds(250))
        #expect(device.endpoints.map(\.path) == [["relay1"], ["level"], ["fix"], ["reset"]])
        guard case .attribute(let level) = device.endpoints[1].kind else { Issue.record("level is no attribute"); return }
        #expect(level.type == .int && level.writable && level.help == "Volume")
        #expect(level.constraints == Constraints(min: -10, max: 10, unit: "dB"))
        guard case .attribute(let fix) = device.endpoints[2].kind else { Issue.record("fix is no attribute"); return }
        #expect(!fix.writable)
        #expect(device.configuration.attributes[2].listen, "no query: it listens")
    }

    @Test func theSimulatedDeviceIsMadeFromTheEntry() throws {
        let (device, _) = try Self.device()
        try device.start()
        #expect(try device.read(["relay1"]) == .bool(true), "the map's first value")
        try device.write(["relay1"], value: .bool(false))
        #expect(try device.read(["relay1"]) == .bool(false))
        #expect(try device.read(["level"]) == .int(0), "0 lies within the limits")
        try device.write(["level"], value: .int(-7))
        #expect(try device.read(["level"]) == .int(-7))
        #expect(try device.read(["fix"]) == .str("sim"), "sent on connecting")
        #expect(try device.call(["reset"], arguments: []) == nil)
    }

    @Test(arguments: [
        ("^T=(?<value>-?[0-9.]+)$", "21.5", "T=21.5"),
        (#"^\$GPGGA,(?<value>[^*]*)"#, "1,2", "$GPGGA,1,2"),
        ("^RELAY1=(?<value>ON|OFF)$", "ON", "RELAY1=ON"),
        (#"^OK\.$"#, "", "OK."),
        ("^(OK|DONE)$", "", nil),
        ("^T=(?<value>[0-9]+)$", "warm", nil),
        (#"^\d+ (?<value>.*)$"#, "x", nil),
    ] as [(String, String, String?)])
    func exampleLinesAreLiteralTextAroundTheValue(_ pattern: String, _ value: String, _ line: String?) throws {
        #expect(SerialTextKind.exampleLine(try SerialTextPattern(pattern), value: value) == line)
    }
}
