import IOToyCore

extension OpenAPIDescription {
    /// The daemon's routes beside the tree (docs/wire.md §2.3), those this daemon serves. The
    /// dashboard's files (`/_ui/`) and the simulation hooks (`/_sim`) are not part of the API.
    var ownRoutes: [String: JSONValue] {
        let control = Self.object(required: ["type", "href", "help", "value"], [
            "type": Self.constant(TypeURI.valuePrefix + "json"), "href": Self.string, "help": Self.string,
            "value": .object(["type": .string("object")]),
        ])
        var routes: [String: JSONValue] = [
            "/_safe": .object(["post": operation(
                "emergency_stop", "Emergency stop: every actuator to its safe state; commands refused until /_resume",
                tag: "safety", ok: Self.jsonContent(control), refusals: [403])]),
            "/_resume": .object(["post": operation(
                "resume", "Lift the emergency stop", tag: "safety", ok: Self.jsonContent(control), refusals: [403])]),
            "/_heartbeat": .object(["post": operation(
                "heartbeat", "Renew every running failsafe deadline", tag: "safety", ok: Self.jsonContent(control), refusals: [403])]),
            "/_reload": .object(["post": operation(
                "reload", features.reload ? "Re-read the board file" : "Re-read the board file (this daemon serves none: 409)",
                tag: "daemon", ok: Self.jsonContent(control), refusals: [403, 409, 422])]),
            "/_openapi.json": .object(["get": operation(
                "openapi", "This description", tag: "daemon",
                ok: Self.jsonContent(.object(["type": .string("object"), "required": .array([.string("openapi"), .string("paths")])])),
                refusals: [])]),
        ]
        if features.metrics {
            routes["/metrics"] = .object(["get": operation(
                "metrics", "Prometheus metrics (text format 0.0.4)", tag: "daemon",
                ok: .object(["text/plain": .object(["schema": Self.string])]), refusals: [])])
        }
        if features.auth {
            let session = Self.object(required: ["type", "href", "help", "value"], [
                "type": Self.string, "href": Self.string, "help": Self.string, "value": .object([:]),
            ])
            routes["/_login"] = .object(["post": operation(
                "login", "Trade a token for a session cookie", tag: "access", ok: Self.jsonContent(session), refusals: [400],
                body: .object(["required": .bool(true), "content": .object([
                    "text/plain": .object(["schema": Self.string]),
                    "application/json": .object(["schema": Self.object(required: ["token"], ["token": Self.string])]),
                ])]))])
            routes["/_logout"] = .object(["post": operation(
                "logout", "End the browser session", tag: "access", ok: Self.jsonContent(session), refusals: [])])
        }
        return routes
    }

    /// With `server.auth`: a bearer token, or the session cookie `/_login` sets.
    var securityComponents: [String: JSONValue] {
        guard features.auth else { return [:] }
        return ["securitySchemes": .object([
            "token": .object(["type": .string("http"), "scheme": .string("bearer")]),
            "session": .object(["type": .string("apiKey"), "in": .string("cookie"), "name": .string(AccessGate.cookieName)]),
        ])]
    }
}
