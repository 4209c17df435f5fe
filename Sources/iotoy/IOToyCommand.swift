import ArgumentParser
import Foundation

/// `iotoy`: finds IOTOY devices on the network and talks to them.
@main
struct IOToyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iotoy",
        abstract: "Find IOTOY devices on the network and read, set and call their resources.",
        discussion: """
            DEVICE is a name advertised over mDNS (robocat), host:port (192.0.2.7:5000, \
            [2001:db8::7]:5000) or an IP address (port 5000). A resource is DEVICE/path: \
            robocat/front_left_leg/lift.

            Exit status: 0 done; 1 unexpected answer; 2 device not found on the network; \
            3 mDNS unavailable (no avahi-daemon); 4 device unreachable; 5 no such resource; \
            6 bad value or request; 7 value outside the limits (422); 8 device fault (503/504); \
            9 refused by the device (409); 10 not allowed (401: a token is needed or not valid; 403: \
            the token's role may not); 64 usage (also a DEVICE that is not a valid address).
            """,
        version: "0.1.0",
        subcommands: [BrowseCommand.self, ListCommand.self, TreeCommand.self, GetCommand.self, SetCommand.self, CallCommand.self, HelpCommand.self, WatchCommand.self])
}

/// Options every command that reaches a device takes.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("timeout"), help: "Seconds to wait for a name to resolve over mDNS.")
    var lookupSeconds: Double = 5

    @Option(name: .customLong("request-timeout"), help: "Seconds one request may take.")
    var requestSeconds: Double = 30

    @Flag(help: "Print JSON for scripts instead of readable text.")
    var json = false

    @Option(help: ArgumentHelp("The device's access token (default: the IOTOY_TOKEN environment variable).", valueName: "token"))
    var token: String?

    /// `--token`, or `IOTOY_TOKEN`.
    var resolvedToken: String? {
        token ?? ProcessInfo.processInfo.environment["IOTOY_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var lookupTimeout: Duration { .milliseconds(Int(lookupSeconds * 1000)) }
    var requestTimeout: Duration { .milliseconds(Int(requestSeconds * 1000)) }

    func validate() throws {
        try checkSeconds(lookupSeconds, "--timeout")
        try checkSeconds(requestSeconds, "--request-timeout")
    }

    /// The option words a value or argument list must not swallow silently.
    static let optionWords: Set<String> = ["--json", "--timeout", "--request-timeout", "--token", "--help", "-h"]

    /// Refuses option words among VALUE or ARGS (they follow the path and are taken literally):
    /// writing `hello --json` to a device by mistake is worse than an error.
    static func refuseOptions(in words: [String]) throws {
        if let word = words.first(where: optionWords.contains) {
            throw ValidationError("'\(word)' after the resource would be sent to the device; put options before DEVICE/path")
        }
    }
}

/// A number of seconds that is finite and positive, and at most a day.
func checkSeconds(_ seconds: Double, _ option: String) throws {
    guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
        throw ValidationError("\(option) takes seconds between 0 and 86400, not \(seconds)")
    }
}
