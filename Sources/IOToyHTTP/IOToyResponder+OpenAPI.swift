import Hummingbird
import IOToyCore

extension OpenAPIDescription {
    /// Where the description is served.
    public static let route = "/_openapi.json"
}

extension IOToyResponder {
    /// `GET /_openapi.json`: the description of this daemon's API, generated from the tree in
    /// force (a reload changes it).
    func openAPIResponse(_ request: Request) -> Response {
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: Self.allowHeader(["GET"])])
        }
        guard request.method == .get || request.method == .head else {
            let error = IOToyError(.methodNotAllowed(allow: ["GET"]), message: "\(OpenAPIDescription.route) takes GET")
            return Self.failure(error, href: OpenAPIDescription.route)
        }
        let policy = access.policy
        let features = OpenAPIDescription.Features(
            metrics: metrics != nil, reload: reload != nil, auth: policy.tokens != nil || policy.anonymous != .admin)
        let bytes = (try? JSONCoding.encode(OpenAPIDescription(tree: dispatcher.tree, features: features).document)) ?? []
        guard request.method == .get else {
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "\(bytes.count)"], body: ResponseBody())
        }
        return Self.json(bytes)
    }
}
