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
        let simulate = self.simulate || parsed.simulate
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
