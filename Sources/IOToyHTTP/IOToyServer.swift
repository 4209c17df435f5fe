import Hummingbird
import IOToyDispatcher
import Logging

/// Builds the Hummingbird application that serves a dispatcher's tree.
public enum IOToyServer {
    /// An application on `host:port` answering with an ``IOToyResponder``. `onRunning`
    /// receives the bound port (useful with port 0).
    public static func application(
        dispatcher: Dispatcher, host: String, port: Int, simulation: SimulationHooks? = nil,
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: IOToyResponder(dispatcher: dispatcher, simulation: simulation),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "iotoyd"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
