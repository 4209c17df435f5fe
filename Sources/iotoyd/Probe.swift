import ArgumentParser
import IOToyLinux

/// `iotoyd probe`: what GPIO chips, I2C devices, pwmchips and serial ports this machine has.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the GPIO chips (labels, line names, consumers), I2C buses (answering addresses), pwmchips, serial ports and the kernel's IIO and hwmon sensors (channels, values, board-file lines); run it before writing a board file.")

    @Flag(help: "Do not probe I2C addresses (a quick write can upset a few write-only chips).")
    var noScan = false

    @Option(help: "The device directory.")
    var dev = "/dev"

    @Option(help: "The sysfs mount point.")
    var sys = "/sys"

    func run() throws {
        let report = HardwareProbe(devRoot: dev, sysRoot: sys, scanI2C: !noScan).run()
        print(ProbeListing.render(report))
    }
}
