import Foundation
import Testing

/// Bad board files make the real binary stop before touching anything, naming file:line:column.
@Suite struct BoardCheckTests {
    static let badBoards: [(name: String, yaml: String, position: String, key: String)] = [
        ("limits outside the range",
         "device: cat\nhardware:\n  pwm: { kind: pwmchip, chip: pwmchip0 }\nresources:\n  tail: { kind: servo, pwm: pwm/0, limits: [10, 200] }\n",
         ":5:44:", "resources.tail.limits"),
        ("a typo", "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: x }\nresources:\n  eyes: { kind: gpio_out, line: gpio/1, intial: true }\n",
         ":5:41:", "resources.eyes.intial"),
        ("octal port", "device: cat\nserver:\n  port: 0500\nresources: {}\n", ":3:9:", "server.port"),
        ("line claimed twice",
         "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: x }\nresources:\n  a: { kind: gpio_out, line: gpio/GPIO5 }\n  b: { kind: gpio_in, line: gpio/GPIO5 }\n",
         ":6:29:", "resources.b.line"),
    ]

    @Test func checkAndServeRefuseBadBoards() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for board in BoardCheckTests.badBoards {
            let file = directory.appendingPathComponent("bad.yaml")
            try board.yaml.write(to: file, atomically: true, encoding: .utf8)
            for arguments in [["check", file.path], ["serve", file.path, "--simulate", "--port", "0"]] {
                let result = try runToCompletion(arguments)
                #expect(result.status == 1, "\(board.name): \(arguments[0])")
                #expect(result.stderr.contains(file.path + board.position + " " + board.key), "\(board.name): \(result.stderr)")
                #expect(!result.stdout.contains("serving"), "\(board.name)")
            }
        }
    }

    @Test func checkPrintsTheTree() throws {
        let result = try runToCompletion(["check", "boards/demo.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("front_left_leg/"))
        #expect(result.stdout.contains("[20, 160] deg servo on i2c-1"))
    }

    @Test func theBinarysDemoIsTheDemoBoardFile() throws {
        let source = try String(contentsOf: Daemon.packageRoot.appendingPathComponent("Sources/iotoyd/DemoBoard.swift"), encoding: .utf8)
        let file = try String(contentsOf: Daemon.packageRoot.appendingPathComponent("boards/demo.yaml"), encoding: .utf8)
        #expect(source.contains("#\"\"\"\n" + file + "\"\"\"#"), "regenerate Sources/iotoyd/DemoBoard.swift from boards/demo.yaml")
    }
}
