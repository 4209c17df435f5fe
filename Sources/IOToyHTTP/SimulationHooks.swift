import Hummingbird
import IOToyCore

/// What `iotoyd serve --simulate` adds to the server: a view of the simulated hardware at
/// `GET /_sim` and a way to act on it (`PUT /_sim/gpio/<chip>/<line>` with `1`, `0` or
/// `float` presses a button). `_sim` can never clash with a resource: names start with a letter.
public struct SimulationHooks: Sendable {
    /// The simulated hardware's state.
    public let snapshot: @Sendable () -> JSONValue
    /// Forces an input line's level from outside (nil: let it float).
    public let setLineLevel: @Sendable (_ chip: String, _ line: String, _ level: Bool?) throws -> Void

    public init(
        snapshot: @escaping @Sendable () -> JSONValue,
        setLineLevel: @escaping @Sendable (_ chip: String, _ line: String, _ level: Bool?) throws -> Void
    ) {
        self.snapshot = snapshot
        self.setLineLevel = setLineLevel
    }
}

extension IOToyResponder {
    func simulationResponse(_ request: Request, _ hooks: SimulationHooks) async -> Response {
        let href = request.uri.path
        let parts = href.split(separator: "/").map(String.init)
        do {
            switch (request.method, parts.count) {
            case (.get, 1):
                return Self.json(try JSONCoding.encode(hooks.snapshot()))
            case (.put, 4) where parts[1] == "gpio":
                let input = try await readInput(request)
                let level: Bool?
                switch input {
                case .text(let text) where text.trimmingWhitespace() == "float": level = nil
                case .text(let text): level = Value.parseBool(text.trimmingWhitespace())
                case .json(.bool(let value)): level = value
                case .json(.null): level = nil
                default: throw IOToyError(.badRequest, message: "send 1, 0 or float")
                }
                if case .text(let text) = input, level == nil, text.trimmingWhitespace() != "float" {
                    throw IOToyError(.badRequest, message: "send 1, 0 or float")
                }
                try hooks.setLineLevel(parts[2], parts[3], level)
                return Self.json(try JSONCoding.encode(hooks.snapshot()))
            default:
                throw IOToyError(.notFound, message: "simulation view: GET /_sim, PUT /_sim/gpio/<chip>/<line>")
            }
        } catch {
            return Self.failure(IOToyError(mapping: error), href: href)
        }
    }
}
