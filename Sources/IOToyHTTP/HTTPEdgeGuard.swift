import HTTPTypes
import IOToyCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// Sits in each connection's pipeline just after HTTP decoding and keeps two promises the
/// responder cannot keep itself:
///
/// - **Every answer is IOTOY JSON**, also for requests that never reach the responder because
///   they are not HTTP the parser accepts (an unknown method, a 100 KB URL): those get the
///   exception representation with `Content-Type: application/json` instead of a bare 400.
/// - **A slow client cannot hold a connection**: a request head must be complete within
///   ``headTimeout`` of the connection opening or of the previous answer ending; otherwise the
///   connection is closed (a half-sent request, or an idle keep-alive connection).
/// - **Connections are capped**: beyond ``ConnectionCount/limit`` open connections a new one
///   is answered 503 and closed at once.
final class HTTPEdgeGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headTimeout: TimeAmount
    let connections: ConnectionCount
    private var counted = false
    /// Request heads received whose answers have not ended.
    private var outstanding = 0
    /// An answer's head has been written and its end not yet.
    private var answering = false
    /// When the wait for the next request head began; nil while a request is being handled.
    private var awaitingHeadSince: NIODeadline?
    /// The one timer that checks ``awaitingHeadSince``. It is not moved for every request
    /// (scheduling and cancelling a task per request cost more than the check): when it fires
    /// early, because the wait began later than it was set for, it is set again for the rest.
    private var headCheck: Scheduled<Void>?

    init(headTimeout: TimeAmount, connections: ConnectionCount) {
        self.headTimeout = headTimeout
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
        stopHeadCheck()
        if counted {
            counted = false
            connections.close()
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopHeadCheck()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            outstanding += 1
            awaitingHeadSince = nil
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
            if outstanding == 0 { awaitHead(context) }
        default:
            break
        }
        context.write(data, promise: promise)
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
        awaitingHeadSince = context.eventLoop.now
        if headCheck == nil { scheduleHeadCheck(context, at: context.eventLoop.now + headTimeout) }
    }

    private func scheduleHeadCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((guard: self, context: context), eventLoop: context.eventLoop)
        headCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.guard.checkHead(loopBound.value.context)
        }
    }

    /// Closes the connection when its wait for a head has lasted ``headTimeout``; otherwise
    /// checks again when the current wait would reach it. No wait (a request is being
    /// answered): the next answer's end sets the check again.
    private func checkHead(_ context: ChannelHandlerContext) {
        headCheck = nil
        guard let since = awaitingHeadSince else { return }
        let deadline = since + headTimeout
        if context.eventLoop.now >= deadline {
            context.close(promise: nil)
        } else {
            scheduleHeadCheck(context, at: deadline)
        }
    }

    private func stopHeadCheck() {
        headCheck?.cancel()
        headCheck = nil
        awaitingHeadSince = nil
    }
}

/// The number of open connections, shared by every connection's ``HTTPEdgeGuard``.
final class ConnectionCount: Sendable {
    let limit: Int
    private let count = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false (and not counted) beyond the limit.
    func open() -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func close() {
        count.withLock { $0 -= 1 }
    }
}
