import ArgumentParser

/// `iotoyd`: serves a robot's hardware as IOTOY REST/JSON.
@main
struct IOToyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iotoyd",
        abstract: "Serve a board's GPIO lines, I2C sensors and servos as an IOTOY REST/JSON device.",
        discussion: "With no arguments, serves the bundled demo robot on simulated hardware at port 5000.",
        version: IOToyVersion.string,
        subcommands: [Serve.self, Check.self, Probe.self, Selftest.self],
        defaultSubcommand: Serve.self)
}

/// The version printed by `--version` and advertised later over mDNS.
enum IOToyVersion {
    static let string = "0.1.0"
}
