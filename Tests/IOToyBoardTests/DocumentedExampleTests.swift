import Foundation
import Testing
@testable import IOToyBoard

/// Every YAML example under "Component kinds" in docs/board-file.md is a board the loader
/// accepts: a snippet of resources on the documented hardware, or a whole board.
@Suite struct DocumentedExampleTests {
    /// The hardware the snippets name.
    static let header = """
        device: docs
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          pwm:  { kind: pwmchip, chip: pwmchip0, channels: 2 }
          i2c1: { kind: i2c, bus: 1 }
          hat:  { kind: pca9685, i2c: i2c1, address: 0x40 }
        resources:

        """

    struct Example: Sendable, CustomTestStringConvertible {
        let line: Int
        let yaml: String
        var testDescription: String { "docs/board-file.md:\(line)" }
    }

    /// The examples, each with the line of its opening fence.
    static func examples() throws -> [Example] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/board-file.md")
        let lines = try String(contentsOf: docs, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## Component kinds"),
              let end = lines[start...].firstIndex(where: { $0.hasPrefix("## ") && $0 != "## Component kinds" }) else { return [] }
        var examples: [Example] = []
        var current: (line: Int, body: [String])?
        for index in start..<end {
            let text = lines[index]
            if text == "```yaml" {
                current = (index + 1, [])
            } else if text == "```", let block = current {
                examples.append(Example(line: block.line, yaml: block.body.joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current?.body.append(text)
            }
        }
        return examples
    }

    @Test func thereAreExamplesOfEveryKind() throws {
        let text = try Self.examples().map(\.yaml).joined(separator: "\n")
        for kind in ComponentRegistry.standard.names {
            #expect(text.contains("kind: \(kind)"), "no example of \(kind) in docs/board-file.md")
        }
    }

    @Test(arguments: try examples())
    func isAcceptedByTheLoader(_ example: Example) throws {
        let whole = example.yaml.contains("hardware:") && example.yaml.contains("resources:")
        let board = whole
            ? "device: docs\n" + example.yaml
            : Self.header + example.yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        do {
            _ = try BoardLoader(registry: .standard).parse(yaml: board, file: "example.yaml")
        } catch {
            Issue.record("docs/board-file.md:\(example.line): \(error)")
        }
    }
}
