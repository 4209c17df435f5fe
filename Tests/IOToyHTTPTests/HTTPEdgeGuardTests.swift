import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import IOToyHTTP

/// The head deadline of ``HTTPEdgeGuard`` on the embedded event loop's virtual clock: a
/// connection waiting for a request head is closed once the wait lasts the timeout, a
/// connection that keeps asking is never closed, and a request still being answered is never
/// timed out, however long the answer takes.
@Suite struct HTTPEdgeGuardTests {
    static let timeout = TimeAmount.milliseconds(300)

    /// A channel with only the guard in its pipeline, connected at the virtual time zero.
    func connectedChannel(limit: Int = 8) throws -> (EmbeddedChannel, ConnectionCount) {
        let connections = ConnectionCount(limit: limit)
        let channel = EmbeddedChannel(handler: HTTPEdgeGuard(headTimeout: Self.timeout, connections: connections))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5000)).wait()
        return (channel, connections)
    }

    func sendHead(_ channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "x", path: "/eyes")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
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
        let second = EmbeddedChannel(handler: HTTPEdgeGuard(headTimeout: Self.timeout, connections: connections))
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
}
