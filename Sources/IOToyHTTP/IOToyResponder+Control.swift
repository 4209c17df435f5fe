import Hummingbird
import IOToyCore
import IOToyDispatcher

extension IOToyResponder {
    /// The daemon's own routes beside the tree: the emergency stop and its release, and the
    /// controlling client's heartbeat, and the board file's reload. All POST; each answers a `iotoy.org/types/json`
    /// representation once done.
    static let controlRoutes: Set<String> = ["/_safe", "/_resume", "/_heartbeat", "/_reload"]

    func controlResponse(_ request: Request) async -> Response {
        let rawPath = request.uri.path
        guard request.method == .post else {
            return Self.failure(IOToyError(.methodNotAllowed(allow: ["POST"]), message: "\(rawPath) takes POST"), href: rawPath)
        }
        let help: String, value: JSONValue
        switch rawPath {
        case "/_safe":
            let results = await dispatcher.emergencyStop()
            help = "Emergency stop: every actuator in its safe state; commands to them are refused until POST /_resume"
            value = .object([
                "stopped": .bool(true),
                "actuators": .array(results.map { .object(["href": .string($0.path.description), "error": $0.error.map(JSONValue.string) ?? .null]) }),
            ])
        case "/_reload":
            guard let reload else {
                return Self.failure(IOToyError(.conflict, code: "no_board_file", message: "this daemon serves no board file to reload"), href: rawPath)
            }
            let report = await reload.run()
            if let error = report.error { return Self.failure(error, href: rawPath) }
            help = "Board file reloaded: unchanged components kept running, changed and new ones started, removed ones made safe"
            value = report.json
        case "/_resume":
            dispatcher.resume()
            help = "Emergency stop lifted: actuators take commands again"
            value = .object(["stopped": .bool(false)])
        default:
            let renewed = dispatcher.heartbeat()
            help = "Heartbeat: every running failsafe deadline renewed"
            value = .object(["renewed": .array(renewed.map { .string($0.description) }), "stopped": .bool(dispatcher.isStopped)])
        }
        let representation = Representation(type: TypeURI.valuePrefix + "json", href: rawPath, help: help, value: value)
        return Self.json((try? JSONCoding.encode(representation)) ?? [])
    }
}
