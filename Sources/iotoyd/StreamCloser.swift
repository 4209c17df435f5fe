import IOToyDispatcher
import ServiceLifecycle

/// Ends every open event stream when graceful shutdown begins. Listed after the HTTP server,
/// so it stops first: the server's own shutdown then finds no stream holding a connection.
struct StreamCloser: Service {
    let journal: EventJournal

    func run() async throws {
        try? await gracefulShutdown()
        journal.close()
    }
}
