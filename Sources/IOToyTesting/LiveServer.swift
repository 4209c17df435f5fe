import HummingbirdTesting
import IOToyHTTP
import Logging

/// A simulated tree served by the daemon's own HTTP server on an ephemeral loopback port, for
/// tests of clients and anything else that must speak real HTTP to it.
public enum LiveServer {
    /// What went wrong starting the server.
    public struct NoPort: Error, CustomStringConvertible {
        public var description: String { "the live server did not report its port" }
    }

    /// Runs `body` with the port while `tree` is served at 127.0.0.1 (`access` as the daemon
    /// would enforce it); the server stops when `body` returns or throws. The tree is the
    /// caller's to stop.
    public static func serve(
        _ tree: SimulatedTree, access: AccessGate = .open, _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let app = IOToyServer.application(
            dispatcher: tree.dispatcher, host: "127.0.0.1", port: 0, access: access, logger: Logger(label: "test"))
        try await app.test(.live) { client in
            guard let port = client.port else { throw NoPort() }
            try await body(port)
        }
    }
}
