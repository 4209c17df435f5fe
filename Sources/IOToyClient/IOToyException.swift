import IOToyCore

/// An error a device answered with: the HTTP status and the IOTOY exception representation
/// `{"type": "iotoy.org/types/exception", "href", "help", "value": {"error", "message", "detail"}}`.
public struct IOToyException: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status (404, 422, 503…).
    public let status: Int
    /// The resource the request was for.
    public let href: String
    /// The machine-readable code: `not_found`, `out_of_range`, `hardware_io`…
    public let code: String
    /// The one-line message.
    public let message: String
    /// More detail, such as the limits that were hit (`min 20, max 160 deg`).
    public let detail: String?

    public init(status: Int, href: String, code: String, message: String, detail: String?) {
        self.status = status
        self.href = href
        self.code = code
        self.message = message
        self.detail = detail
    }

    /// Reads an exception representation; nil when `json` is not one. The original host's
    /// exceptions carried a bare string `value`: its text becomes the message.
    public init?(status: Int, json: JSONValue, requestedPath: String) {
        guard case .object(let object) = json, object["type"] == .string(TypeURI.exception) else { return nil }
        let href = object["href"]?.stringValue ?? requestedPath
        let help = object["help"]?.stringValue
        switch object["value"] {
        case .object(let value)?:
            self.init(
                status: status, href: href, code: value["error"]?.stringValue ?? "error",
                message: value["message"]?.stringValue ?? help ?? "failed", detail: value["detail"]?.stringValue)
        case .string(let text)?:
            self.init(status: status, href: href, code: "error", message: text, detail: nil)
        default:
            self.init(status: status, href: href, code: "error", message: help ?? "failed", detail: nil)
        }
    }

    /// `/front_left_leg/lift: 200 is outside the limits (min 20, max 160 deg)`.
    public var description: String {
        "\(href): \(message)" + (detail.map { " (\($0))" } ?? "")
    }
}

extension JSONValue {
    /// The member `key` of an object; nil otherwise.
    public subscript(member key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
