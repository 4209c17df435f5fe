import Foundation
import IOToyCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// IOTOY REST/JSON over HTTP to one device (iotoy-wire.md §2): GET, PUT and POST of JSON, with
/// every non-2xx answer turned into an ``IOToyException`` and every transport failure into
/// ``IOToyClientError/unreachable(device:url:reason:)``.
public struct IOToyConnection: Sendable {
    /// `http://host:port` without a trailing slash.
    public let baseURL: String
    /// How the device was named, for messages.
    public let deviceLabel: String
    /// How long one request may take (a function call may block on the robot for a while).
    public let timeout: Duration

    /// One session for every connection: URLSession keeps connections alive per host.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }()

    /// A connection to `host:port`; IPv6 literals are bracketed, link-local zones kept.
    public init(urlHost: String, port: Int, deviceLabel: String, timeout: Duration = .seconds(30)) {
        self.baseURL = "http://\(urlHost):\(port)"
        self.deviceLabel = deviceLabel
        self.timeout = timeout
    }

    /// `GET path` (`?fresh` to force a hardware read) as JSON.
    public func get(_ href: String, fresh: Bool = false) async throws -> JSONValue {
        try await send("GET", href + (fresh ? "?fresh" : ""), body: nil)
    }

    /// `PUT path` with `{"value": value}`; the device answers the re-read representation.
    public func put(_ href: String, value: JSONValue) async throws -> JSONValue {
        try await send("PUT", href, body: .object(["value": value]))
    }

    /// `POST path` with `{"args": [...]}`; the device answers the call result.
    public func post(_ href: String, arguments: [JSONValue]) async throws -> JSONValue {
        try await send("POST", href, body: .object(["args": .array(arguments)]))
    }

    private func send(_ method: String, _ href: String, body: JSONValue?) async throws -> JSONValue {
        let address = baseURL + href
        guard let url = URL(string: address) else {
            throw IOToyClientError.invalidAddress(address, reason: "not a valid URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = Data(try JSONCoding.encode(body))
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            throw IOToyClientError.unreachable(device: deviceLabel, url: address, reason: Self.reason(error))
        }
        guard let http = response as? HTTPURLResponse else {
            throw IOToyClientError.unexpectedAnswer(url: address, status: 0, reason: "not an HTTP answer")
        }
        guard let json = try? JSONCoding.decode(JSONValue.self, from: Array(data)) else {
            let text = String(decoding: data.prefix(120), as: UTF8.self)
            throw IOToyClientError.unexpectedAnswer(url: address, status: http.statusCode, reason: "not JSON: \(text)")
        }
        if let exception = IOToyException(status: http.statusCode, json: json, requestedPath: href) {
            throw IOToyClientError.rejected(exception)
        }
        guard (200..<300).contains(http.statusCode) else {
            throw IOToyClientError.unexpectedAnswer(
                url: address, status: http.statusCode, reason: "an error without an IOTOY exception representation")
        }
        return json
    }

    /// A short reason for a transport failure.
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        guard error.domain == NSURLErrorDomain else { return "\(error.localizedDescription)" }
        return switch URLError.Code(rawValue: error.code) {
        case .cannotConnectToHost: "connection refused"
        case .timedOut: "timed out"
        case .cannotFindHost, .dnsLookupFailed: "unknown host"
        case .networkConnectionLost: "the connection was lost"
        case .notConnectedToInternet: "no route to the host"
        case .badURL: "the address cannot be used in a URL"
        default: (error.userInfo[NSLocalizedDescriptionKey] as? String) ?? "URL error \(error.code)"
        }
    }
}
