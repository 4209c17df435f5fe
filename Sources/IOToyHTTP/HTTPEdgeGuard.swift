import HTTPTypes
import IOToyCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Sits in each connection's pipeline just after HTTP decoding, in the place of Hummingbird's
/// own connection-state handler (``IOToyHTTPChannel`` takes that one out: both read every
/// request and response part, and the casts that costs were 3% of a cached GET), and keeps
/// the promises the responder cannot keep itself:
///
/// - **Every answer is IOTOY JSON**, also for requests that never reach the responder because
///   they are not HTTP the parser accepts (an unknown method, a 100 KB URL): those get the
///   exception representation with `Content-Type: application/json` instead of a bare 400.
/// - **A slow client cannot hold a connection**: a request head must be complete within
///   ``headTimeout`` of the connection opening or of the previous answer ending (and within
///   ``idleTimeout``, should that be shorter); a request's body may pause for at most
///   ``idleTimeout`` between parts. Otherwise the connection is closed. An answer, however
///   long (a stream), is never timed out.
/// - **Connections are capped**: beyond ``ConnectionCount/limit`` open connections a new one
///   is answered 503 and closed at once.
/// - **Shutdown is graceful**: on the server's quiesce event an idle connection closes at once
///   and a busy one once its answers have ended.
final class HTTPEdgeGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let connections: ConnectionCount
    private var counted = false
    /// Request heads received whose answers have not ended.
    private var outstanding = 0
    /// A request's head has been read and its end not yet.
    private var readingRequest = false
    /// An answer's head has been written and its end not yet.
    private var answering = false
    /// The server is shutting down: close once the answers owed have ended.
    private var closeWhenAnswered = false
    /// The wait under way (for a head, or for a request's next part): since when and how long
    /// it may last. nil while requests are being answered.
    private var wait: (since: NIODeadline, limit: TimeAmount)?
    /// The one timer that checks ``wait``. It is not moved for every request (scheduling and
    /// cancelling a task per request cost more than the check): it is always set for at most
    /// ``shortestLimit`` ahead, so a wait begun since is never checked late, and when it fires
    /// before the wait's end it is set again.
    private var check: Scheduled<Void>?
    private let shortestLimit: TimeAmount

    init(headTimeout: TimeAmount, idleTimeout: TimeAmount, connections: ConnectionCount) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.shortestLimit = min(headTimeout, idleTimeout)
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        if !connections.open() {
            let failure = IOToyError(.hardwareFault, code: "too_many_connections", message: "\(connections.limit) connections are open already")
            let body = (try? JSONCoding.encode(failure.representation(href: "/"))) ?? []
            let head = HTTPResponse(
                status: .serviceUnavailable,
                headerFields: [.contentType: "application/json", .contentLength: "\(body.count)", .connection: "close"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
            return
        }
        awaitHead(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopCheck()
        if counted {
            counted = false
            connections.close()
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopCheck()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            outstanding += 1
            readingRequest = true
            startWait(context, limit: idleTimeout)
        case .body:
            startWait(context, limit: idleTimeout)
        case .end:
            readingRequest = false
            // Answered before its body was all read (a refusal): the wait for a head begins.
            if outstanding == 0 { awaitHead(context) } else { wait = nil }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.kind != .informational:
            answering = true
        case .end:
            answering = false
            outstanding = max(0, outstanding - 1)
            if outstanding == 0, closeWhenAnswered {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
                return
            }
            if outstanding == 0, !readingRequest { awaitHead(context) }
        default:
            break
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if outstanding == 0 { context.close(promise: nil) } else { closeWhenAnswered = true }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Answer only where no other answer can interleave: nothing owed, nothing half-written.
        if outstanding == 0, !answering {
            let failure = Self.failure(for: parserError)
            let body = (try? JSONCoding.encode(failure.representation(href: "/"))) ?? []
            let head = HTTPResponse(
                status: .init(code: failure.status),
                headerFields: [.contentType: "application/json", .contentLength: "\(body.count)", .connection: "close"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }

    /// The exception for a request the parser refused.
    static func failure(for error: HTTPParserError) -> IOToyError {
        switch error {
        case .headerOverflow:
            IOToyError(
                .requestHeaderTooLarge, code: "request_too_large",
                message: "the request line and headers are larger than iotoyd accepts (\(IOToyServer.maximumHeadBytes / 1024) KiB)")
        case .invalidMethod:
            IOToyError(.badRequest, code: "bad_http", message: "the request's method is not an HTTP method iotoyd knows (GET, PUT, POST, HEAD, OPTIONS)")
        default:
            IOToyError(.badRequest, code: "bad_http", message: "the request is not valid HTTP/1.1 (\(error))")
        }
    }

    /// Starts the wait for the next request head (the connection opened, or an answer ended).
    private func awaitHead(_ context: ChannelHandlerContext) {
        startWait(context, limit: shortestLimit)
    }

    /// Starts a wait of at most `limit` (never shorter than ``shortestLimit``) from now.
    private func startWait(_ context: ChannelHandlerContext, limit: TimeAmount) {
        let now = context.eventLoop.now
        wait = (now, limit)
        if check == nil { scheduleCheck(context, at: now + shortestLimit) }
    }

    private func scheduleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((guard: self, context: context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.guard.checkWait(loopBound.value.context)
        }
    }

    /// Closes the connection when the wait under way has lasted its limit; otherwise checks
    /// again at its end or a ``shortestLimit`` from now, whichever comes first. No wait (a
    /// request is being answered): the next wait to begin sets the check again.
    private func checkWait(_ context: ChannelHandlerContext) {
        check = nil
        guard let wait else { return }
        let deadline = wait.since + wait.limit, now = context.eventLoop.now
        if now >= deadline {
            context.close(promise: nil)
        } else {
            scheduleCheck(context, at: min(deadline, now + shortestLimit))
        }
    }

    private func stopCheck() {
        check?.cancel()
        check = nil
        wait = nil
    }
}
