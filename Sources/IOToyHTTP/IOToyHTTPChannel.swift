import HummingbirdCore
import Logging
import NIOCore

/// HTTP/1.1 as Hummingbird sets a connection up, with one change: its connection-state
/// handler (idle timeout, graceful shutdown) is taken out, because ``HTTPEdgeGuard``, already
/// in the pipeline, does that work and more. Both read every request and response part, and
/// the second's casts and calls were about 3% of a cached GET.
struct IOToyHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try Self.removeDuplicateStateHandler(from: channel.pipeline.syncOperations)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }

    /// Takes Hummingbird's connection-state handler out of a pipeline that has ``HTTPEdgeGuard``
    /// (it throws rather than leave a pipeline without either).
    static func removeDuplicateStateHandler(from pipeline: ChannelPipeline.SynchronousOperations) throws {
        _ = try pipeline.handler(type: HTTPEdgeGuard.self)
        let duplicate = try pipeline.handler(type: HTTPConnectionStateHandler.self)
        pipeline.removeHandler(duplicate, promise: nil)
    }
}
