import Foundation
import IOToyCore
import IOToyDispatcher
import Testing
@testable import IOToyBoard

@Suite struct BoardLoaderTests {
    static let demoPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../boards/demo.yaml").standardized.path

    @Test func theDemoBoardBuildsTheTreeItPromises() throws {
        let board = try BoardLoader(registry: .standard).load(path: BoardLoaderTests.demoPath)
        #expect(board.device == "robocat")
        #expect(board.server.port == 5000)
        let tree = try board.buildTree(platform: board.simulatedHardware().platform)
        let paths = tree.nodes.keys.map(\.description).sorted()
        #expect(paths == [
            "/", "/base", "/base/drive", "/base/left", "/base/left/applied_speed", "/base/left/brake", "/base/left/coast",
            "/base/left/speed", "/base/right", "/base/right/applied_speed", "/base/right/brake", "/base/right/coast",
            "/base/right/speed", "/base/stop", "/battery", "/battery/bus_voltage", "/battery/current", "/battery/power",
            "/battery/shunt_voltage", "/bumper", "/climate", "/climate/humidity", "/climate/pressure", "/climate/temperature",
            "/distance", "/distance/distance", "/distance/echo_us", "/distance/reason", "/distance/speed_of_sound",
            "/eyes", "/eyes/pulse", "/eyes/toggle", "/front_left_leg", "/front_left_leg/lift", "/front_left_leg/swing",
            "/headlight", "/imu", "/imu/acceleration", "/imu/acceleration_x", "/imu/acceleration_y", "/imu/acceleration_z",
            "/imu/angular_rate", "/imu/angular_rate_x", "/imu/angular_rate_y", "/imu/angular_rate_z", "/imu/temperature", "/tail",
        ])
        guard case .directory(let root)? = tree.node(at: .root) else { Issue.record("no root"); return }
        #expect(root.children == ["front_left_leg", "tail", "eyes", "bumper", "climate", "base", "headlight", "distance", "imu", "battery"])
        // Servos on the PCA9685 share the I2C bus's owner with the BME280.
        let owners = Dictionary(tree.mounts.map { ($0.path.description, $0.owner.name) }, uniquingKeysWith: { a, _ in a })
        #expect(owners["/front_left_leg/lift"] == "i2c-1")
        #expect(owners["/climate"] == "i2c-1")
        #expect(owners["/base"] == "i2c-1")   // both motors on the motor hat's PCA9685, one owner
        #expect(owners["/tail"] == "pwm:pwm")
        #expect(owners["/bumper"] == "gpio:gpio/GPIO27")
    }

    @Test func everyErrorOfAFileIsReportedAtOnce() {
        let yaml = """
            device: cat
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              a: { kind: gpio_out, line: gpio/GPIO17, initail: true }
              b: { kind: gpio_in, line: gpio/GPIO17 }
              c: { kind: sonar }
            """
        let errors = #expect(throws: BoardErrors.self) { try BoardLoader(registry: .standard).parse(yaml: yaml, file: "b.yaml") }
        #expect(errors?.errors.map(\.line).sorted() == [5, 6, 7])
    }

    @Test func simulationFitsTheBoard() throws {
        let board = try BoardLoader(registry: .standard).load(path: BoardLoaderTests.demoPath)
        let hardware = board.simulatedHardware()
        let chip = try #require(hardware.gpio.chip(.label("pinctrl-bcm2711")))
        #expect(chip.physicalLevel(line: .name("GPIO17")) != nil)
        #expect(chip.physicalLevel(line: .offset(27)) != nil)
        #expect(hardware.i2c.bus(1).device(at: 0x76) != nil)
        #expect(hardware.i2c.bus(1).device(at: 0x40) != nil)
        #expect(hardware.pwm.chip("pwmchip0")?.channelCount == 2)
    }

    @Test func defaultsApplyWhenSectionsAreOmitted() throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: "device: cat\nresources: {}\n", file: "x")
        #expect(board.server == Board.Server(port: 5000, bind: "0.0.0.0"))
        #expect(board.components.isEmpty)
        #expect(board.help == "cat (iotoyd)")
    }

    @Test func quotedStringsAreNotYAMLBooleans() throws {
        let yaml = "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: \"on\" }\nresources: {}\n"
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: "x")
        #expect(board.hardware.first?.spec == .gpiochip(chip: .label("on")))
    }

    @Test func knownChipsCheckLineNamesAndOthersWarn() throws {
        let loader = BoardLoader(registry: .standard)
        let pi5 = try loader.parse(yaml: """
            device: cat
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-rp1 }
            resources:
              eyes: { kind: gpio_out, line: gpio/GPIO17 }
              fan: { kind: gpio_in, line: gpio/FAN_TACH }
            """, file: "pi5.yaml")
        #expect(pi5.warnings.isEmpty)
        let simulated = try #require(pi5.simulatedHardware().gpio.allChips.first)
        #expect(simulated.label == "pinctrl-rp1")
        #expect(simulated.lineNames.count == 54, "the simulated chip has the real chip's lines, no more")
        #expect(simulated.lineNames[17] == "GPIO17")
        #expect(throws: BoardErrors.self) {
            try loader.parse(yaml: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: pinctrl-rp1 }\nresources:\n  eyes: { kind: gpio_out, line: gpio/NOPE }\n", file: "x")
        }
        let mainlineName = try loader.parse(yaml: """
            device: cat
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              sda: { kind: gpio_in, line: gpio/SDA1 }
            """, file: "debian.yaml")
        #expect(try #require(mainlineName.simulatedHardware().gpio.allChips.first).lineNames[2] == "SDA1")
        let unknown = try loader.parse(yaml: """
            device: cat
            hardware:
              gpio: { kind: gpiochip, chip: some-expander }
            resources:
              eyes: { kind: gpio_out, line: gpio/ANYTHING }
            """, file: "other.yaml")
        #expect(unknown.warnings.map(\.description) == [
            "other.yaml:3:9: hardware.gpio: warning: line names on 'some-expander' are not checked before the chip is opened (not a chip iotoyd knows; list them with lines: [...] to check them)",
        ])
    }

    @Test func aMissingFileIsAClearErrorWithoutAFakePosition() {
        let errors = #expect(throws: BoardErrors.self) { try BoardLoader(registry: .standard).load(path: "/nonexistent/board.yaml") }
        #expect(errors?.description == "/nonexistent/board.yaml: no such file")
    }

    @Test func aDirectoryIsAClearErrorWithoutAFakePosition() {
        let errors = #expect(throws: BoardErrors.self) { try BoardLoader(registry: .standard).load(path: "/tmp") }
        #expect(errors?.description == "/tmp: is a directory, not a board file")
    }

    @Test func withMetricsOffAResourceMayBeCalledMetrics() throws {
        let yaml = """
            device: cat
            server: { metrics: false }
            hardware:
              gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
            resources:
              metrics: { kind: gpio_in, line: gpio/GPIO27 }
            """
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: "cat.yaml")
        #expect(board.server.metrics == false)
        #expect(board.components.map(\.path.description) == ["/metrics"])
        #expect(try BoardLoader(registry: .standard).parse(yaml: "device: cat\nresources: {}\n", file: "cat.yaml").server.metrics)
    }

    @Test func theMQTTSectionHasItsDefaultsAndTLSMovesThePort() throws {
        let loader = BoardLoader(registry: .standard)
        let plain = try #require(try loader.parse(yaml: "device: cat\nmqtt: { host: broker.local }\nresources: {}\n", file: "cat.yaml").mqtt)
        #expect(plain == Board.MQTT(host: "broker.local", port: 1883))
        #expect(plain.prefix == "iotoy" && plain.discoveryPrefix == "homeassistant")
        let yaml = """
            device: cat
            mqtt:
              host: a1b2.iot.eu-west-1.amazonaws.com
              username: robocat
              password_file: /etc/iotoy/mqtt-password
              tls: { ca_file: /etc/ssl/certs/ca-certificates.crt, cert_file: /etc/iotoy/cat.crt, key_file: /etc/iotoy/cat.key }
              prefix: site/lab-2
              discovery: none
            resources: {}
            """
        let cloud = try #require(try loader.parse(yaml: yaml, file: "cat.yaml").mqtt)
        #expect(cloud.port == 8883)
        #expect(cloud.tls == Board.MQTT.TLS(caFile: "/etc/ssl/certs/ca-certificates.crt", certFile: "/etc/iotoy/cat.crt", keyFile: "/etc/iotoy/cat.key"))
        #expect(cloud.prefix == "site/lab-2")
        #expect(cloud.discoveryPrefix == nil)
        #expect(cloud.passwordFile == "/etc/iotoy/mqtt-password")
        #expect(try loader.parse(yaml: "device: cat\nresources: {}\n", file: "cat.yaml").mqtt == nil)
    }
}
