import ArgumentParser
import Foundation
import IOToyBoard
import IOToyClient
import IOToyCore

/// `iotoyd reload [BOARD]`: asks the running daemon to re-read its board file
/// (`POST /_reload`) and prints what changed, or the file's errors (then nothing changed).
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running daemon re-read its board file; unchanged components keep running.",
        discussion: """
            With BOARD, the file is checked here first and the daemon is found at its server.port \
            (on loopback when it binds every address). `systemctl reload iotoyd` sends SIGHUP instead, \
            which does the same and logs the outcome.
            """)

    @Argument(help: "The board file the daemon serves (checked first; gives the port).")
    var board: String?

    @Option(help: "The daemon's address (default: from BOARD, else 127.0.0.1).")
    var host: String?

    @Option(help: "The daemon's port (default: from BOARD, else 5000).")
    var port: Int?

    @Option(help: "An admin token, when the daemon asks for one (default: $IOTOY_TOKEN). Loopback is trusted by default.")
    var token: String?

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port \(port) is not a TCP port: give 1…65535") }
    }

    func run() async throws {
        var server = Board.Server()
        if let board {
            do {
                server = try BoardLoader(registry: .standard).load(path: board).server
            } catch {
                printError(error.description)
                printError("\(board): not reloaded; the daemon keeps serving its current tree")
                throw ExitCode(1)
            }
        }
        let bind = host ?? server.bind
        let address = bind == "0.0.0.0" ? "127.0.0.1" : bind == "::" ? "::1" : bind
        let urlHost = address.contains(":") ? "[\(address.replacingOccurrences(of: "%", with: "%25"))]" : address
        let connection = IOToyConnection(
            urlHost: urlHost, port: port ?? server.port, deviceLabel: "iotoyd", timeout: .seconds(60),
            token: token ?? ProcessInfo.processInfo.environment["IOTOY_TOKEN"])
        let answer: JSONValue
        do {
            answer = try await connection.post("/_reload", arguments: [])
        } catch IOToyClientError.rejected(let exception) {
            printError("iotoyd reload: \(exception.message)")
            if let detail = exception.detail { printError(detail) }
            throw ExitCode(1)
        } catch {
            printError("iotoyd reload: \(error)")
            throw ExitCode(2)
        }
        guard case .object(let representation) = answer, case .object(let value)? = representation["value"] else {
            print("reloaded")
            return
        }
        for key in ["kept", "started", "removed", "needs_restart"] {
            guard case .array(let items)? = value[key], !items.isEmpty else { continue }
            let paths = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            print("\(key.replacingOccurrences(of: "_", with: " ")): \(paths.joined(separator: " "))")
        }
        print("reloaded")
    }
}
