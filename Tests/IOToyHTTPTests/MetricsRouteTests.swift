import Foundation
import Hummingbird
import HummingbirdTesting
import IOToyCore
import IOToyMetrics
import Testing
@testable import IOToyHTTP

/// `GET /metrics` on the demo robot: Prometheus' text format with a help line for every
/// family, what the requests did, the role it needs, and nothing when metrics are off.
@Suite("GET /metrics")
struct MetricsRouteTests {
    /// The families of an exposition: name → (type, help), and its sample lines.
    struct Exposition {
        var families: [String: (type: String, help: String)] = [:]
        var samples: [String] = []

        init(_ text: String) {
            var helps: [String: String] = [:]
            for line in text.split(separator: "\n").map(String.init) {
                if line.hasPrefix("# HELP ") {
                    let rest = line.dropFirst(7)
                    let name = String(rest.prefix { $0 != " " })
                    helps[name] = String(rest.dropFirst(name.count + 1))
                } else if line.hasPrefix("# TYPE ") {
                    let parts = line.split(separator: " ")
                    families[String(parts[2])] = (String(parts[3]), "")
                } else if !line.hasPrefix("#") {
                    samples.append(line)
                }
            }
            for (name, family) in families { families[name] = (family.type, helps[name] ?? "") }
        }

        /// The value of the sample written exactly `series` (name and labels as rendered).
        func value(_ series: String) -> Double? {
            samples.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
        }
    }

    static func scrape(_ client: any TestClientProtocol, headers: HTTPFields = [:]) async throws -> (status: Int, contentType: String?, text: String) {
        try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
            (response.status.code, response.headers[.contentType], String(buffer: response.body))
        }
    }

    @Test func everyFamilyHasHelpAndTheRequestsAreCountedByMethodAndStatus() async throws {
        let server = try DemoServer(metrics: true)
        try await server.test { client in
            try await client.execute(uri: "/eyes", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/front_left_leg/lift", method: .put, body: ByteBuffer(string: "500")) {
                #expect($0.status.code == 422)
            }
            try await client.execute(uri: "/eyes", method: .init("BREW")!) { #expect($0.status == .methodNotAllowed) }
            let (status, contentType, text) = try await Self.scrape(client)
            #expect(status == 200)
            #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
            let exposition = Exposition(text)
            #expect(!exposition.families.isEmpty)
            for (name, family) in exposition.families {
                #expect(!family.help.isEmpty && family.help != MetricsCatalogue.undescribed, "\(name) has no help")
                #expect(name.hasSuffix("_total") == (family.type == "counter"), "\(name) is a \(family.type)")
                #expect(name.hasPrefix("iotoyd_") || name.hasPrefix("process_"), "\(name)")
            }
            #expect(exposition.value(#"iotoyd_http_requests_total{method="GET",status="200"}"#) == 1)
            #expect(exposition.value(#"iotoyd_http_requests_total{method="GET",status="404"}"#) == 1)
            #expect(exposition.value(#"iotoyd_http_requests_total{method="PUT",status="422"}"#) == 1)
            #expect(exposition.value(#"iotoyd_http_requests_total{method="other",status="405"}"#) == 1, "an odd method is not a label")
            #expect(exposition.value(#"iotoyd_http_request_duration_seconds_count{method="GET"}"#) == 2)
            #expect(exposition.value(#"iotoyd_component_state{path="/tail",kind="servo",state="running"}"#) == 1)
            #expect(exposition.value(#"iotoyd_component_state{path="/tail",kind="servo",state="faulted"}"#) == 0)
            #expect(exposition.value(#"iotoyd_component_sample_age_seconds{path="/climate"}"#) == 0, "the manual wall clock stands still")
            #expect(exposition.value("iotoyd_stream_watchers") == 0)
            #expect(exposition.value(#"iotoyd_owner_queue_depth{owner="i2c-1"}"#) == 0)
            #expect((exposition.value(#"iotoyd_hardware_operations_total{path="/climate"}"#) ?? 0) >= 1)

            // The scrape itself is counted by the next one.
            let again = Exposition(try await Self.scrape(client).text)
            #expect(again.value(#"iotoyd_http_requests_total{method="GET",status="200"}"#) == 2)
        }
    }

    @Test func aFaultedComponentShowsInItsStateAndFaults() async throws {
        let server = try DemoServer(metrics: true)
        try await server.test { client in
            server.hardware.i2c.bus(1).injectFault(at: 0x76, errno: 5)
            try await client.execute(uri: "/climate/temperature?fresh", method: .get) { #expect($0.status.code == 503) }
            let exposition = Exposition(try await Self.scrape(client).text)
            #expect(exposition.value(#"iotoyd_component_state{path="/climate",kind="bme280",state="faulted"}"#) == 1)
            #expect(exposition.value(#"iotoyd_component_state{path="/climate",kind="bme280",state="running"}"#) == 0)
            #expect(exposition.value(#"iotoyd_component_faults_total{path="/climate"}"#) == 1)
            #expect(exposition.value(#"iotoyd_hardware_errors_total{path="/climate",kind="io"}"#) == 1)
            #expect(exposition.value(#"iotoyd_component_sample_age_seconds{path="/climate"}"#) == nil, "no cached value while faulted")
        }
    }

    @Test func metricsNeedTheReadRoleLikeAnyGet() async throws {
        let server = try DemoServer(metrics: true)
        let (policy, tokens) = try AuthPolicyTests.policy(anonymous: nil)
        try await server.test(access: AccessGate(policy: policy)) { client in
            #expect(try await Self.scrape(client).status == 401)
            let read = try await Self.scrape(client, headers: [.authorization: "Bearer \(tokens[.read]!)"])
            #expect(read.status == 200)
            #expect(read.text.contains("iotoyd_http_requests_total"))
            try await client.execute(uri: "/metrics", method: .post, headers: [.authorization: "Bearer \(tokens[.admin]!)"]) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "GET, HEAD, OPTIONS")
            }
        }
    }

    @Test func withMetricsOffThereIsNoSuchRoute() async throws {
        let server = try DemoServer()
        try await server.test { client in
            let (status, contentType, _) = try await Self.scrape(client)
            #expect(status == 404)
            #expect(contentType == "application/json", "an IOTOY exception like any missing resource")
        }
    }
}
