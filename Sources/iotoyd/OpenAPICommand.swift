import ArgumentParser
import Foundation
import IOToyBoard
import IOToyCore
import IOToyHTTP

/// `iotoyd openapi FILE`: prints the OpenAPI 3.1 description the board's daemon serves at
/// `/_openapi.json`, without starting it (for API tools, and for docs/openapi-demo.json).
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 description of a board's REST API (what /_openapi.json serves); touches no hardware.")

    @Argument(help: "The board file.")
    var board: String

    func run() throws {
        let parsed: Board
        do {
            parsed = try BoardLoader(registry: .standard).load(path: board)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let tree = try parsed.buildTree(platform: parsed.simulatedHardware().platform)
        let features = OpenAPIDescription.Features(
            metrics: parsed.server.metrics, reload: true, auth: parsed.server.access != nil)
        let bytes = try JSONCoding.encodePretty(OpenAPIDescription(tree: tree, features: features).document)
        FileHandle.standardOutput.write(Data(bytes))
    }
}
