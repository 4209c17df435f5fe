import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import IOToyHTTP

/// The deadlines of ``HTTPEdgeGuard`` on the embedded event loop's virtual clock: a
/// connection waiting for a request head is closed once the wait lasts the head timeout, a
/// request whose body pauses longer than the idle timeout is closed, a connection that keeps
/// asking is never closed, and a request still being answered is never timed out, however long
/// the answer takes.
@Suite struct HTTPEdgeGuardTests {
    static let timeout = TimeAmount.milliseconds(300)
    static let idleTimeout = TimeAmount.milliseconds(1_000)

    /// A channel with only the guard in its pipeline, connected at the virtual time zero.
    func connectedChannel(limit: Int = 8, idleTimeout: TimeAmount = Self.idleTimeout) throws -> (EmbeddedChannel, ConnectionCount) {
        let connections = ConnectionCount(limit: limit)
        let channel = EmbeddedChannel(handler: HTTPEdgeGuard(headTimeout: Self.timeout, idleTimeout: idleTimeout, connections: connections))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5000)).wait()
        return (channel, connections)
    }

    func sendHead(_ channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "x", path: "/eyes")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    func sendBodyPart(_ channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "1")))
    }

    func answer(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    @Test func anIdleConnectionIsClosedWhenItsWaitForAHeadReachesTheTimeout() throws {
        let (channel, connections) = try connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
        #expect(connections.open(), "the closed connection no longer counts")
    }

    @Test func aConnectionThatKeepsAskingIsNeverClosed() throws {
        let (channel, _) = try connectedChannel()
        // Ten requests 200 ms apart: three seconds, ten timeouts' length, each wait shorter.
        for _ in 0..<10 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
            #expect(channel.isActive)
            try sendHead(channel)
            try answer(channel)
        }
        // After the last answer the connection has the whole timeout again, not what is left
        // of an earlier wait.
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func aRequestBeingAnsweredIsNotTimedOut() throws {
        let (channel, _) = try connectedChannel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        try sendHead(channel)
        // A slow answer (a sensor read through a retrying bus): ten timeouts pass.
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        #expect(channel.isActive)
        try answer(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func pipelinedRequestsWaitForTheirLastAnswer() throws {
        let (channel, _) = try connectedChannel()
        try sendHead(channel)
        try sendHead(channel)
        try answer(channel)
        // One answer is still owed: no wait for a head has begun.
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        try answer(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
        #expect(!channel.isActive)
    }

    @Test func aConnectionBeyondTheCapIsAnswered503AndClosed() throws {
        let (first, connections) = try connectedChannel(limit: 1)
        let second = EmbeddedChannel(handler: HTTPEdgeGuard(headTimeout: Self.timeout, idleTimeout: Self.idleTimeout, connections: connections))
        try second.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5000)).wait()
        guard case .head(let head)? = try second.readOutbound(as: HTTPResponsePart.self) else {
            Issue.record("no answer's head")
            return
        }
        #expect(head.status == .serviceUnavailable)
        #expect(head.headerFields[.contentType] == "application/json")
        #expect(!second.isActive)
        #expect(first.isActive)
    }

    @Test func aBodyMayPauseForTheIdleTimeoutBetweenParts() throws {
        let (channel, _) = try connectedChannel()
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .put, scheme: nil, authority: "x", path: "/eyes")))
        // Pauses longer than the head timeout but shorter than the idle one: the body goes on.
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
            #expect(channel.isActive)
            try sendBodyPart(channel)
        }
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive, "a pause of the idle timeout closes it")
    }

    @Test func aShorterIdleTimeoutAlsoBoundsTheWaitForAHead() throws {
        let (channel, _) = try connectedChannel(idleTimeout: .milliseconds(100))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(99))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func aHeadWaitAfterALongerBodyWaitIsNotCheckedLate() throws {
        let (channel, _) = try connectedChannel()
        // A PUT whose body wait (1 s) began when its head came; answered at once.
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .put, scheme: nil, authority: "x", path: "/eyes")))
        try sendBodyPart(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try answer(channel)
        // The head wait that follows still ends at the head timeout, not at the body's.
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func anAnswerBeforeTheBodyEndsLeavesTheBodyWaitThenTheHeadWait() throws {
        let (channel, _) = try connectedChannel()
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .put, scheme: nil, authority: "x", path: "/eyes")))
        try answer(channel)             // refused before its body was read (401, 413)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
        #expect(channel.isActive, "the body's wait, not the head's, while the body is still coming")
        try sendBodyPart(channel)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(299))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive, "then the head's wait, from the body's end")
    }

    @Test func onShutdownAnIdleConnectionClosesAndABusyOneAfterItsAnswer() throws {
        let (idle, _) = try connectedChannel()
        idle.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!idle.isActive)

        let (busy, _) = try connectedChannel()
        try sendHead(busy)
        busy.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.isActive, "an answer is owed")
        try busy.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        #expect(busy.isActive)
        try busy.writeOutbound(HTTPResponsePart.end(nil))
        #expect(!busy.isActive)
        var written: [HTTPResponsePart] = []
        while let part = try busy.readOutbound(as: HTTPResponsePart.self) { written.append(part) }
        #expect(written.count == 2, "the answer was written whole before the close")
        if case .end? = written.last {} else { Issue.record("no end: \(written)") }
    }

    @Test func theConnectionsPipelineHasTheGuardInPlaceOfHummingbirdsStateHandler() throws {
        let connections = ConnectionCount(limit: 8)
        let http1 = HTTP1Channel(responder: { _, _, _ in }, configuration: .init(additionalChannelHandlers: [
            HTTPEdgeGuard(headTimeout: Self.timeout, idleTimeout: Self.idleTimeout, connections: connections),
        ]))
        let channel = EmbeddedChannel()
        _ = try IOToyHTTPChannel(http1: http1).setup(channel: channel, logger: Logger(label: "test")).wait()
        #expect((try? channel.pipeline.syncOperations.handler(type: HTTPEdgeGuard.self)) != nil)
        #expect((try? channel.pipeline.syncOperations.handler(type: HTTPConnectionStateHandler.self)) == nil)

        // Without the guard, the state handler stays and setting up fails rather than leave
        // the connection with neither.
        let bare = EmbeddedChannel()
        #expect(throws: (any Error).self) {
            _ = try IOToyHTTPChannel(http1: HTTP1Channel(responder: { _, _, _ in })).setup(channel: bare, logger: Logger(label: "test")).wait()
        }
    }

    @Test func otherEventsPassOn() throws {
        let (channel, _) = try connectedChannel()
        let seen = EventRecorder()
        try channel.pipeline.syncOperations.addHandler(seen)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(seen.events.count == 1)
        #expect(channel.isActive)
    }
}

/// Records the user events that reach it.
final class EventRecorder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPRequestPart
    var events: [Any] = []

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        events.append(event)
    }
}
