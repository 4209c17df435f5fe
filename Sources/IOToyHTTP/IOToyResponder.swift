import Hummingbird
import IOToyCore
import IOToyDispatcher
import IOToyMetrics
import Logging

/// Answers IOTOY REST requests: one responder for the whole tree, no router table, because
/// the tree itself is the routing table. Every answer is `application/json` exactly (the
/// original client compares the header for equality); every failure an exception
/// representation with its status.
public struct IOToyResponder: HTTPResponder {
    public typealias Context = IOToyRequestContext

    let dispatcher: Dispatcher
    let simulation: SimulationHooks?
    /// The one access check every request passes first.
    let access: AccessGate
    /// `POST /_reload`; nil when there is no board file (the demo, `serve --serial`).
    let reload: BoardReload?
    /// The largest body accepted.
    let maximumBodyBytes: Int
    /// `GET /metrics` and the request counts; nil when metrics are off.
    let metrics: MetricsExporter?

    public init(
        dispatcher: Dispatcher, simulation: SimulationHooks? = nil, access: AccessGate = .open, reload: BoardReload? = nil,
        metrics: MetricsExporter? = nil, maximumBodyBytes: Int = 64 * 1024
    ) {
        self.metrics = metrics
        self.reload = reload
        self.dispatcher = dispatcher
        self.simulation = simulation
        self.access = access
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        // Hummingbird makes a new String of the path each time it is asked: ask once.
        let rawPath = request.uri.path
        guard let metrics else { return try await checkedRoute(request, rawPath: rawPath, context: context) }
        let started = ContinuousClock.now
        let response = try await checkedRoute(request, rawPath: rawPath, context: context)
        metrics.http.record(method: request.method.rawValue, status: response.status.code, duration: started.duration(to: .now))
        return response
    }

    func checkedRoute(_ request: Request, rawPath: String, context: Context) async throws -> Response {
        // Every route, without exception, is behind this one check.
        if let refusal = access.refusal(for: request, rawPath: rawPath, context: context) { return refusal }
        if Self.mayBeOwnRoute(rawPath), let answer = try await ownRoute(request, rawPath: rawPath, context: context) { return answer }
        return await route(request, rawPath: rawPath, context: context)
    }

    /// Whether `rawPath` can be one of the daemon's own routes rather than the tree's: those
    /// begin with `/_` (no resource name begins with `_`), or are `/metrics` or `/` (the
    /// dashboard's redirect). Everything else goes straight to the tree.
    static func mayBeOwnRoute(_ rawPath: String) -> Bool {
        rawPath.utf8.starts(with: "/_".utf8) || rawPath == "/" || rawPath == "/metrics"
    }

    /// The daemon's own routes: `/_sim`, `/_ui`, its commands, login, metrics, the OpenAPI
    /// description and the dashboard's redirect; nil when `rawPath` is none of them.
    func ownRoute(_ request: Request, rawPath: String, context: Context) async throws -> Response? {
        if request.method == .post, rawPath == "/_login" {
            let body = try? await readInput(request)
            let token: String? = switch body {
            case .text(let text)?: text.trimmingWhitespace()
            case .json(.object(let object))?: if case .string(let token)? = object["token"] { token } else { nil }
            default: nil
            }
            return access.login(request, token: token, context: context)
        }
        if request.method == .post, rawPath == "/_logout" { return access.logout(request) }
        if let simulation, rawPath == "/_sim" || rawPath.hasPrefix("/_sim/") {
            return await simulationResponse(request, simulation)
        }
        if rawPath == "/_ui" || rawPath.hasPrefix("/_ui/") { return dashboardResponse(request, rawPath: rawPath) }
        if Self.controlRoutes.contains(rawPath) { return await controlResponse(request) }
        if let metrics, rawPath == "/metrics" { return await metricsResponse(request, metrics) }
        if rawPath == OpenAPIDescription.route { return openAPIResponse(request) }
        if Self.wantsDashboard(request, path: rawPath) { return Response(status: .found, headers: [.location: "/_ui/"]) }
        return nil
    }

    /// The tree's routes: a resource, a directory, `/devinfo`, a stream.
    func route(_ request: Request, rawPath: String, context: Context) async -> Response {
        // Most requests read a cached value: answered by the path's text, unparsed, when there
        // is nothing to decide (no query, no stream, a ready component); `get` otherwise.
        if request.method == .get, request.uri.query == nil, !Self.acceptsEventStream(request),
            let bytes = dispatcher.answer(forPathText: rawPath)
        {
            return Self.json(bytes)
        }
        do {
            let path: ResourcePath
            do { path = try ResourcePath(parsing: rawPath) } catch { throw dispatcher.notFoundError(rawPath) }
            if Self.wantsStream(request) { return try streamResponse(request, path: path, context: context) }
            switch request.method {
            case .get:
                return Self.json(try await dispatcher.get(path, fresh: Self.wantsFresh(request.uri.query)))
            case .head:
                // As GET, without the body: the same status and headers, Content-Length included.
                let bytes = try await dispatcher.get(path, fresh: Self.wantsFresh(request.uri.query))
                return Response(
                    status: .ok, headers: [.contentType: "application/json", .contentLength: "\(bytes.count)"], body: ResponseBody())
            case .options:
                guard let allowed = dispatcher.methods(at: path) else { throw dispatcher.notFoundError(rawPath) }
                return Response(status: .noContent, headers: [.allow: Self.allowHeader(allowed)])
            case .put:
                let input = try await readInput(request)
                return Self.json(try await dispatcher.put(path, input))
            case .post:
                let input = try await readInput(request)
                return Self.json(try await dispatcher.post(path, input))
            default:
                guard let allowed = dispatcher.methods(at: path) else { throw dispatcher.notFoundError(rawPath) }
                throw IOToyError(.methodNotAllowed(allow: allowed), message: "\(path) does not accept \(request.method)")
            }
        } catch {
            let failure = IOToyError(mapping: error)
            // A faulted component is logged by the dispatcher once when the fault starts and
            // once when it clears, not once per request; only defects are logged here.
            if case .internalError = failure.kind {
                context.logger.error("request failed", metadata: ["path": "\(Self.echoed(rawPath))", "error": "\(failure)"])
            } else {
                context.logger.debug("request refused", metadata: ["path": "\(Self.echoed(rawPath))", "error": "\(failure)"])
            }
            var answer = Self.failure(failure, href: Self.echoed(rawPath))
            if request.method == .head { answer.body = ResponseBody() }
            return answer
        }
    }

    /// The `Allow` header for a resource's methods: HEAD wherever GET is, and OPTIONS.
    static func allowHeader(_ methods: [String]) -> String {
        var all = methods
        if let get = all.firstIndex(of: "GET") { all.insert("HEAD", at: get + 1) }
        all.append("OPTIONS")
        return all.joined(separator: ", ")
    }

    /// A path as an answer may echo it: at most 200 characters, so a 50 KB path is not sent
    /// back (three times) in its 404.
    static func echoed(_ path: String) -> String {
        path.count <= 200 ? path : String(path.prefix(200)) + "…"
    }

    /// `?fresh` (or `fresh=1`, `fresh=true`) forces a hardware read.
    static func wantsFresh(_ query: String?) -> Bool {
        guard let query else { return false }
        return query.split(separator: "&").contains { item in
            item == "fresh" || item == "fresh=1" || item == "fresh=true"
        }
    }

    /// Reads the body as raw text (no Content-Type, text/plain, form-encoded as curl -d sends
    /// it) or JSON (application/json, */*+json).
    func readInput(_ request: Request) async throws -> RequestInput {
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= maximumBodyBytes else {
                throw IOToyError(.payloadTooLarge, message: "the body is larger than \(maximumBodyBytes) bytes")
            }
            buffer.writeImmutableBuffer(chunk)
        }
        return try RequestInput(body: Array(buffer.readableBytesView), contentType: request.headers[.contentType])
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func failure(_ error: IOToyError, href: String) -> Response {
        let bytes = (try? JSONCoding.encode(error.representation(href: href))) ?? Array(#"{"type":"iotoy.org/types/exception"}"#.utf8)
        var extra: HTTPFields = [:]
        if case .methodNotAllowed(let allow) = error.kind { extra[.allow] = allowHeader(allow) }
        return json(bytes, status: HTTPResponse.Status(code: error.status), extra: extra)
    }
}

extension Dispatcher {
    func notFoundError(_ rawPath: String) -> IOToyError {
        IOToyError(.notFound, message: "no resource at \(IOToyResponder.echoed(rawPath))")
    }
}
