import ArgumentParser
import IOToyClient

/// `iotoy browse`: the IOTOY devices advertised on the local network.
struct BrowseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse", abstract: "List the IOTOY devices on the local network (mDNS, _iotoy._tcp).")

    @Option(help: "Seconds to listen at most.")
    var timeout: Double = 3

    @Flag(help: "Print JSON for scripts instead of readable text.")
    var json = false

    func validate() throws {
        try checkSeconds(timeout, "--timeout")
    }

    func run() async throws {
        try await reportingFailures {
            let services = try await IOToy.browse(timeout: .milliseconds(Int(timeout * 1000)))
            if json {
                try Output.json(.array(services.map(\.json)))
                return
            }
            guard !services.isEmpty else {
                Output.error("iotoy: no IOTOY devices found on the network")
                return
            }
            Output.table([["NAME", "ADDRESS", "PORT", "HOST", "VERSION"]] + services.map { service in
                [service.name, service.addresses.map(\.description).joined(separator: ", "), String(service.port),
                 service.hostName, service.txt["version"] ?? "-"]
            })
        }
    }
}

extension DiscoveredService {
    var json: JSONValue {
        .object([
            "name": .string(name), "host": .string(hostName), "port": .int(port), "domain": .string(domain),
            "addresses": .array(addresses.map { .string($0.description) }),
            "txt": .object(txt.dictionary.mapValues(JSONValue.string)),
        ])
    }
}
