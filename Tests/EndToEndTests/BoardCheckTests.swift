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

    @Test func checkAndServeRefuseBadBoards() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iotoyd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for board in BoardCheckTests.badBoards {
            let file = directory.appendingPathComponent("bad.yaml")
            try board.yaml.write(to: file, atomically: true, encoding: .utf8)
            for arguments in [["check", file.path], ["serve", file.path, "--simulate", "--port", "0"]] {
                let result = try await runToCompletion(arguments)
                #expect(result.status == 1, "\(board.name): \(arguments[0])")
                #expect(result.stderr.contains(file.path + board.position + " " + board.key), "\(board.name): \(result.stderr)")
                #expect(!result.stdout.contains("serving"), "\(board.name)")
            }
        }
    }

    @Test func checkPrintsTheTree() async throws {
        let result = try await runToCompletion(["check", "boards/demo.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("front_left_leg/"))
        #expect(result.stdout.contains("[20, 160] deg servo on pwm hat/0"))
        // Every component names the hardware it holds, outputs as well as inputs.
        #expect(result.stdout.contains("gpio_out on line gpio/GPIO17"))
        #expect(result.stdout.contains("gpio_in on line gpio/GPIO27"))
        #expect(result.stdout.contains("bme280 on i2c-1 address 0x76"))
    }

    @Test func theBinarysDemoIsTheDemoBoardFile() async throws {
        let source = try String(contentsOf: Daemon.packageRoot.appendingPathComponent("Sources/iotoyd/DemoBoard.swift"), encoding: .utf8)
        let file = try String(contentsOf: Daemon.packageRoot.appendingPathComponent("boards/demo.yaml"), encoding: .utf8)
        #expect(source.contains("#\"\"\"\n" + file + "\"\"\"#"), "regenerate Sources/iotoyd/DemoBoard.swift from boards/demo.yaml")
    }

    @Test func fileProblemsHaveNoFakePosition() async throws {
        let missing = try await runToCompletion(["check", "nothere.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("nothere.yaml: no such file\n"), "\(missing.stderr)")
        let directory = try await runToCompletion(["check", "boards"])
        #expect(directory.stderr.hasPrefix("boards: is a directory"), "\(directory.stderr)")
        #expect(!directory.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aMistypedSubcommandIsNamed() async throws {
        let result = try await runToCompletion(["chek", "boards/demo.yaml"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown command 'chek'; did you mean 'check'?"), "\(result.stderr)")
        #expect(!result.stderr.contains("Unexpected argument"))
    }

    @Test func numericOptionsAreRangeChecked() async throws {
        for port in ["70000", "65536", "99999"] {
            let result = try await runToCompletion(["--port", port, "--no-advertise"])
            #expect(result.status == 64, "--port \(port)")
            #expect(result.stderr.contains("--port \(port) is not a TCP port"), "\(result.stderr)")
            #expect(!result.stdout.contains("serving"))
        }
    }
}
