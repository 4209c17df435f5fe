import Hummingbird
import NIOCore

/// The request context of iotoyd's responder: Hummingbird's basic one, plus the connection,
/// so a stream ends (and its watcher is let go) as soon as its client has gone, instead of at
/// the next write.
public struct IOToyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
