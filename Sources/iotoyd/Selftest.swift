import ArgumentParser
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyLinux

/// `iotoyd selftest BOARD`: starts each component of a board on the real hardware, reads it,
/// exercises actuators safely and prints PASS or FAIL per component.
struct Selftest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start every component of a board file on this machine's hardware, read each attribute, write actuators back to their current value, put them in their safe state, and report PASS/FAIL per component.",
        discussion: "Outputs keep their value (written back unchanged), servos move to their initial angle and then go limp, sensors take one sample; functions are not called. Exits 1 when any component fails. Do not run it while iotoyd serves the same board: the lines and channels are busy then.")

    @Argument(help: "The board file.")
    var board: String

    @Flag(help: "Run on simulated hardware that has everything the board declares.")
    var simulate = false

    func run() throws {
        let parsed: Board
        do {
            parsed = try BoardLoader(registry: .standard).load(path: board)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let platform = simulate ? parsed.simulatedHardware().platform : LinuxHardware.platform()
        let tree = try parsed.buildTree(platform: platform)
        StandardOutput.line("iotoyd selftest: '\(parsed.device)' from \(parsed.file) on \(simulate ? "simulated" : "Linux") hardware")
        var results: [ComponentSelftest.Outcome] = []
        for mount in tree.mounts {
            let outcome = ComponentSelftest.run(mount)
            StandardOutput.line(outcome.line)
            results.append(outcome)
        }
        let failed = results.filter { !$0.passed }.count
        StandardOutput.line("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// One component's self-test: start, read, write back, safe state, stop.
enum ComponentSelftest {
    struct Outcome: Sendable {
        let path: ResourcePath
        let kind: String
        let passed: Bool
        let notes: [String]

        var line: String {
            (passed ? "PASS  " : "FAIL  ") + TreeListing.pad(path.description, 24) + TreeListing.pad(kind, 13)
                + notes.joined(separator: "; ")
        }
    }

    static func run(_ mount: Mount) -> Outcome {
        let component = mount.component
        var notes: [String] = []
        func outcome(_ passed: Bool) -> Outcome { Outcome(path: mount.path, kind: mount.kind, passed: passed, notes: notes) }
        do {
            try component.start()
        } catch {
            notes.append("start: \(error)")
            component.stop()
            return outcome(false)
        }
        defer { component.stop() }
        var passed = true
        do {
            if component.pollInterval != nil {
                let sample = try component.sample()
                notes += sample.sorted { $0.key.joined(separator: "/") < $1.key.joined(separator: "/") }
                    .map { "\(name($0.key))=\($0.value.json.compactDescription)" }
            }
            // The component's endpoints as they are after start (a self-describing device's
            // attributes are only known then).
            for endpoint in component.endpoints {
                guard case .attribute(let info) = endpoint.kind, !info.sampled else { continue }
                let value = try component.read(endpoint.path)
                var note = "\(name(endpoint.path))=\(value.json.compactDescription)"
                if info.writable {
                    try component.write(endpoint.path, value: value)
                    let again = try component.read(endpoint.path)
                    if again != value {
                        passed = false
                        note += ", wrote it back but read \(again.json.compactDescription)"
                    } else {
                        note += " (written back)"
                    }
                }
                notes.append(note)
            }
        } catch {
            notes.append("\(error)")
            passed = false
        }
        do {
            try component.enterSafeState()
            notes.append("safe state")
        } catch {
            notes.append("safe state: \(error)")
            passed = false
        }
        return outcome(passed)
    }

    static func name(_ relative: [String]) -> String {
        relative.isEmpty ? "value" : relative.joined(separator: "/")
    }
}
