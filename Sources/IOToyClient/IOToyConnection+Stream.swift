import AsyncHTTPClient
import Foundation
import IOToyCore
import NIOCore
import NIOPosix

extension IOToyConnection {
    /// The client for streams: no deadline on the whole request (a stream lasts), but a read
    /// timeout of three keep-alive periods, so a connection that died silently is noticed.
    static let streamingClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = .seconds(45)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The Server-Sent Events of `href` and everything below it (docs/wire.md §2.7), for as
    /// long as the task runs. After a dropped connection it reconnects by itself (after the
    /// server's `retry:` delay, then with back-off up to 30 s) and resumes with `Last-Event-ID`;
    /// `onDisconnect` hears why each time. A refusal (404, 503 too many watchers…) ends the
    /// sequence with the ``IOToyException``.
    public func events(
        _ href: String, rateMilliseconds: Int? = nil, onDisconnect: @escaping @Sendable (String) -> Void = { _ in }
    ) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        let address = baseURL + href + (rateMilliseconds.map { "?rate_ms=\($0)" } ?? "")
        let token = token
        return AsyncThrowingStream { continuation in
            let task = Task {
                var lastEventID: String?
                var retry: Duration = .seconds(2)
                var backoff: Duration = .zero
                while !Task.isCancelled {
                    var parser = ServerSentEventParser()
                    do {
                        var request = HTTPClientRequest(url: address)
                        request.headers.add(name: "Accept", value: "text/event-stream")
                        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
                        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
                        let response = try await Self.streamingClient.execute(request, timeout: .hours(24 * 365))
                        guard response.status == .ok else {
                            let body = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                            let json = (try? JSONCoding.decode(JSONValue.self, from: body)) ?? .null
                            let exception = IOToyException(status: Int(response.status.code), json: json, requestedPath: href)
                            throw exception.map(IOToyClientError.rejected)
                                ?? IOToyClientError.unexpectedAnswer(url: address, status: Int(response.status.code), reason: "no event stream")
                        }
                        backoff = .zero
                        for try await buffer in response.body {
                            for event in parser.feed(buffer.readableBytesView) { continuation.yield(event) }
                            lastEventID = parser.lastEventID ?? lastEventID
                            if let milliseconds = parser.retryMilliseconds { retry = .milliseconds(milliseconds) }
                        }
                        onDisconnect("the device closed the stream")
                    } catch let error as IOToyClientError {
                        continuation.finish(throwing: error)
                        return
                    } catch {
                        if Task.isCancelled { break }
                        lastEventID = parser.lastEventID ?? lastEventID
                        onDisconnect(IOToyConnection.reason(error))
                    }
                    backoff = min(max(retry, backoff * 2), .seconds(30))
                    do { try await Task.sleep(for: backoff) } catch { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
