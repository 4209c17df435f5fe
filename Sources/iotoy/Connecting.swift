import ArgumentParser
import IOToyClient

extension ConnectionOptions {
    /// Connects to the target's device and finds the resource (checked against `/devinfo`).
    func open(_ text: String) async throws -> (device: Device, resource: Resource) {
        let target = try ResourceTarget(parsing: text)
        let device = try await IOToy.device(
            at: target.device, lookupTimeout: lookupTimeout, requestTimeout: requestTimeout, token: resolvedToken)
        return (device, try device.resource(at: target.path))
    }
}

extension Resource {
    /// `float`, `function`, `directory`: the short kind shown in listings.
    var shortKind: String {
        switch kind {
        case .directory: "dir"
        case .attribute(let type): type?.rawValue ?? "json"
        case .function: "function"
        }
    }

    /// `lift`, `front_left_leg/`, `toggle()`: the name as listings show it.
    var listedName: String {
        let name = path.name ?? "/"
        switch kind {
        case .directory: return path.isRoot ? "/" : name + "/"
        case .attribute: return name
        case .function(let spec): return "\(name)(\(spec.map { $0.args.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ") } ?? "…"))"
        }
    }

    /// The help text: from the device's description, or for a directory (which the
    /// description does not list) from the directory itself.
    func describedHelp() async throws -> String {
        kind == .directory ? try await representation().help : help
    }

    /// `iotoy call robocat/calc/add <a> <b>`: how to call a function.
    func callUsage(_ target: String) -> String {
        let quoted = target.contains(" ") ? "'\(target)'" : target
        guard case .function(let spec?) = kind else { return "iotoy call \(quoted) …" }
        return (["iotoy call \(quoted)"] + spec.args.map { "<\($0.name)>" }).joined(separator: " ")
    }

    /// A listing entry as JSON.
    func listingJSON(help: String) -> JSONValue {
        var entry: [String: JSONValue] = [
            "name": .string(path.name ?? ""), "href": .string(href), "help": .string(help),
            "kind": .string(kind == .directory ? "directory" : shortKind == "function" ? "function" : "attribute"),
        ]
        switch kind {
        case .attribute(let type): entry["type"] = .string(type?.rawValue ?? "json")
        case .function(let spec?): entry["spec"] = spec.jsonValue
        default: break
        }
        return .object(entry)
    }
}
