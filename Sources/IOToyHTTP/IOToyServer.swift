import Hummingbird
import HummingbirdCore
import IOToyDispatcher
import IOToyMetrics
import Logging
import NIOCore

/// Builds the Hummingbird application that serves a dispatcher's tree.
public enum IOToyServer {
    /// The most a request line and its headers may take; larger requests get 431.
    public static let maximumHeadBytes = 16 * 1024

    /// How long a connection may take over what it sends.
    public struct Timeouts: Sendable, Hashable {
        /// A request head must be complete within this of the connection opening or the
        /// previous answer ending (a half-sent request, an idle keep-alive connection).
        public var head: Duration
        /// A request's body may pause this long between parts (and a head is awaited no
        /// longer than this either); an answer being written is never timed out.
        public var idle: Duration
        /// Connections open at once; one more is answered 503 and closed.
        public var maximumConnections: Int

        public init(head: Duration = .seconds(10), idle: Duration = .seconds(60), maximumConnections: Int = 256) {
            self.head = head
            self.idle = idle
            self.maximumConnections = maximumConnections
        }
    }

    /// An application on `host:port` answering with an ``IOToyResponder``. `onRunning`
    /// receives the bound port (useful with port 0).
    public static func application(
        dispatcher: Dispatcher, host: String, port: Int, simulation: SimulationHooks? = nil,
        timeouts: Timeouts = Timeouts(), access: AccessGate = .open, reload: BoardReload? = nil,
        metrics: MetricsExporter? = nil, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let connections = ConnectionCount(limit: timeouts.maximumConnections)
        var http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                HTTPEdgeGuard(
                    headTimeout: .nanoseconds(Int64(timeouts.head / .nanoseconds(1))),
                    idleTimeout: .nanoseconds(Int64(timeouts.idle / .nanoseconds(1))), connections: connections),
            ])
        http1.httpDecoder = .init(maxHeaderFieldSize: maximumHeadBytes, maxHeaderListSize: maximumHeadBytes, maxHeaderFieldCount: 100)
        return Application(
            responder: IOToyResponder(dispatcher: dispatcher, simulation: simulation, access: access, reload: reload, metrics: metrics),
            server: HTTPServerBuilder { [http1] responder in IOToyHTTPChannel(http1: HTTP1Channel(responder: responder, configuration: http1)) },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "iotoyd"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
