import HTTPTypes
import Hummingbird
import IOToyCore
import IOToyDispatcher
import Logging

extension IOToyResponder {
    /// A GET that asks for the stream: `Accept: text/event-stream` (what a browser's
    /// EventSource sends) or `?watch` for clients that cannot set headers.
    static func wantsStream(_ request: Request) -> Bool {
        guard request.method == .get else { return false }
        if acceptsEventStream(request) { return true }
        return queryItems(request.uri.query).contains { $0.name == "watch" }
    }

    /// Whether the request's `Accept` names `text/event-stream`.
    static func acceptsEventStream(_ request: Request) -> Bool {
        request.headers[values: .accept].contains(where: { $0.lowercased().contains("text/event-stream") })
    }

    /// `name=value` pairs of a query string (`?watch&rate_ms=100`).
    static func queryItems(_ query: String?) -> [(name: Substring, value: Substring?)] {
        guard let query else { return [] }
        // `=` alone, `=x`, `a=`: a name (maybe empty) and a value (maybe empty). Splitting with
        // empty pieces omitted once crashed the daemon on `?=` (schemathesis found it).
        return query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (parts[0], parts.count > 1 ? parts[1] : nil)
        }
    }

    /// Server-Sent Events for `path` and everything below it: the cached values first (or
    /// what was missed since `Last-Event-ID`), then every change as it happens.
    func streamResponse(_ request: Request, path: ResourcePath, context: Context) throws(IOToyError) -> Response {
        var rate: Duration?
        if let item = Self.queryItems(request.uri.query).first(where: { $0.name == "rate_ms" }) {
            guard let text = item.value, let milliseconds = Int(text), (1...3_600_000).contains(milliseconds) else {
                throw IOToyError(.badRequest, message: "rate_ms takes milliseconds from 1 to 3600000")
            }
            rate = .milliseconds(milliseconds)
        }
        var lastEventID: UInt64?
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let id = UInt64(header.trimmingWhitespace()) else {
                throw IOToyError(.badRequest, message: "Last-Event-ID must be an event id from this stream")
            }
            lastEventID = id
        }
        let watcher = try dispatcher.watch(path, rate: rate, resumingAfter: lastEventID)
        let journal = dispatcher.journal
        let logger = context.logger
        // A client that goes away lets its watcher go at once, not at the next keep-alive.
        context.channel.closeFuture.whenComplete { _ in journal.remove(watcher) }
        logger.debug("stream opened", metadata: ["path": "\(path)", "watchers": "\(journal.watcherCount)"])
        let body = ResponseBody { writer in
            defer {
                journal.remove(watcher)
                logger.debug("stream closed", metadata: ["path": "\(path)"])
            }
            // Tells EventSource how long to wait before reconnecting.
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while true {
                switch await watcher.next() {
                case .frame(let bytes): try await writer.write(ByteBuffer(bytes: bytes))
                case .keepAlive: try await writer.write(ByteBuffer(bytes: StreamFrame.keepAlive))
                case .finished:
                    try await writer.finish(nil)
                    return
                }
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }
}
