import AsyncHTTPClient
import Foundation
import IOToyCore
import NIOCore
import NIOPosix

/// IOTOY REST/JSON over HTTP to one device (docs/wire.md §2): GET, PUT and POST of JSON, with
/// every non-2xx answer turned into an ``IOToyException`` and every transport failure into
/// ``IOToyClientError/unreachable(device:url:reason:)``.
public struct IOToyConnection: Sendable {
    /// `http://host:port` without a trailing slash.
    public let baseURL: String
    /// How the device was named, for messages.
    public let deviceLabel: String
    /// How long one request may take (a function call may block on the robot for a while).
    public let timeout: Duration

    /// One HTTP client for every connection, kept for the life of the process (it pools
    /// keep-alive connections per host). A refused connection fails at once instead of being
    /// retried until the request's deadline: "nothing answers there" is the answer a person wants.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A connection to `host:port`; IPv6 literals are bracketed, link-local zones kept.
    /// The access token sent as `Authorization: Bearer` (nil: none).
    public let token: String?

    public init(urlHost: String, port: Int, deviceLabel: String, timeout: Duration = .seconds(30), token: String? = nil) {
        self.token = token
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
        var request = HTTPClientRequest(url: address)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONCoding.encode(body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let status: Int, bytes: [UInt8]
        do {
            let response = try await Self.client.execute(request, timeout: .nanoseconds(Int64(timeout / .nanoseconds(1))))
            status = Int(response.status.code)
            // An IOTOY answer is small; a megabyte is far more than any representation.
            bytes = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw IOToyClientError.unreachable(device: deviceLabel, url: address, reason: Self.reason(error))
        }
        guard let json = try? JSONCoding.decode(JSONValue.self, from: bytes) else {
            let text = String(decoding: bytes.prefix(120), as: UTF8.self)
            throw IOToyClientError.unexpectedAnswer(url: address, status: status, reason: "not JSON: \(text)")
        }
        if let exception = IOToyException(status: status, json: json, requestedPath: href) {
            throw IOToyClientError.rejected(exception)
        }
        guard (200..<300).contains(status) else {
            throw IOToyClientError.unexpectedAnswer(
                url: address, status: status, reason: "an error without an IOTOY exception representation")
        }
        return json
    }

    /// A short reason for a transport failure.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .invalidURL, .emptyHost, .emptyScheme: return "the address cannot be used in a URL"
            case .remoteConnectionClosed: return "the connection was lost"
            default: return "\(error)"
            }
        case let error as NIOConnectionError:
            if error.dnsAAAAError != nil || error.dnsAError != nil, error.connectionErrors.isEmpty { return "unknown host" }
            return error.connectionErrors.isEmpty ? "\(error)" : Self.reason(error.connectionErrors[0].error)
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ENETUNREACH, EHOSTUNREACH: return "no route to the host"
            case ETIMEDOUT: return "timed out"
            default: return "\(error)"
            }
        case is ChannelError:
            return "the connection was lost"
        default:
            return "\(error)"
        }
    }
}
