import IOToyCore
import IOToyDispatcher
import IOToyTesting
import PropertyBased
import Testing
@testable import IOToyBoard

/// A board that `check` accepts always starts on simulated hardware, and one it refuses is
/// refused with positions: generated boards of a dozen kinds on a shared chip, bus, PWM chip
/// and hat, whose lines, addresses, channels and limits often collide or are wrong.
@Suite struct BoardStartsPropertyTests {
    /// One resource entry made from three numbers (shrinking them simplifies the board).
    static func entry(_ index: Int, _ kind: Int, _ a: Int, _ b: Int) -> String {
        let line = "gpio/GPIO\(a % 28)", other = "gpio/GPIO\(b % 28)"
        let channel = "hat/\(a % 17)", limits = "[\(a % 200 - 20), \(b % 200 - 20)]"
        let body: String = switch kind % 12 {
        case 0: "{ kind: gpio_out, line: \(line)\(b % 2 == 0 ? ", safe: true" : "") }"
        case 1: "{ kind: gpio_in, line: \(line), bias: \(["pull_up", "pull_down", "disabled", "sideways"][b % 4]) }"
        case 2: "{ kind: servo, pwm: \(channel), limits: \(limits) }"
        case 3: "{ kind: servo, pwm: pwm/\(a % 3), max_speed_dps: \(b % 400) }"
        case 4: "{ kind: pwm_out, pwm: \(channel), frequency_hz: \([50, 1000, 20000, 0][b % 4]) }"
        case 5: "{ kind: motor, in1: hat/\(a % 16), in2: hat/\(b % 16), ramp_per_s: \(b % 3) }"
        case 6: "{ kind: bme280, i2c: i2c1, address: \(["0x76", "0x77", "0x40"][a % 3]), poll_ms: \(b % 2000) }"
        case 7: "{ kind: ads1115, i2c: i2c1, address: 0x\(String(0x48 + a % 5, radix: 16)), channels: { v: { input: a\(b % 5) } } }"
        case 8: "{ kind: ina219, i2c: i2c1, address: 0x\(String(0x40 + a % 16, radix: 16)), shunt_ohms: 0.1, max_current_a: \(b % 5) }"
        case 9: "{ kind: mpu6050, i2c: i2c1, address: \(["0x68", "0x69", "0x6a"][a % 3]), accel_range_g: \([2, 4, 8, 16, 3][b % 5]) }"
        case 10: "{ kind: hc_sr04, trigger: \(line), echo: \(other) }"
        default: "{ kind: encoder, a: \(line), b: \(other), counts_per_rev: \(b % 3) }"
        }
        return "  r\(index): \(body)"
    }

    static func board(_ entries: [[Int]]) -> String {
        """
        device: generated
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          i2c1: { kind: i2c, bus: 1 }
          hat: { kind: pca9685, i2c: i2c1, address: 0x40 }
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }
        resources:

        """ + entries.enumerated().map { index, numbers in entry(index, numbers[0], numbers[1], numbers[2]) }.joined(separator: "\n") + "\n"
    }

    @Test(.timeLimit(.minutes(2))) func aBoardCheckAcceptsStartsAndOneItRefusesSaysWhere() async throws {
        let entries = Gen.int(in: 0...10_000).array(of: 3).array(of: 1...6)
        await propertyCheck(count: 150, input: entries) { entries in
            let yaml = Self.board(entries)
            let board: Board
            switch Result(catching: { () throws(BoardErrors) -> Board in try BoardLoader(registry: .standard).parse(yaml: yaml, file: "board.yaml") }) {
            case .success(let accepted):
                board = accepted
            case .failure(let refusal):
                for problem in refusal.errors {
                    #expect(problem.line > 0 && problem.column > 0, "\(problem) in\n\(yaml)")
                }
                #expect(!refusal.errors.isEmpty)
                return
            }
            guard let tree = try? await SimulatedTree(board: board) else {
                Issue.record("accepted but could not be built:\n\(yaml)")
                return
            }
            for mount in tree.dispatcher.tree.mounts {
                #expect(mount.currentHealth == .ready, "\(mount.path) did not start: \(mount.currentHealth)\n\(yaml)")
            }
            for case .attribute(let attribute) in tree.dispatcher.tree.leaves {
                do {
                    _ = try await tree.dispatcher.get(attribute.path)
                } catch {
                    Issue.record("GET \(attribute.path): \(error)\n\(yaml)")
                }
            }
            await tree.stop()
        }
    }
}
