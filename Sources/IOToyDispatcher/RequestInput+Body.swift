import IOToyCore

extension RequestInput {
    /// Reads a request's body by its `Content-Type` (parameters ignored, case ignored): none,
    /// `text/plain`, `application/x-www-form-urlencoded` (what `curl -d` sends) or
    /// `application/octet-stream` as UTF-8 text; `application/json` or any `…+json` as JSON;
    /// anything else is 415. An empty body is ``empty`` whatever the type.
    public init(body bytes: [UInt8], contentType: String?) throws(IOToyError) {
        let mediaType = contentType?.split(separator: ";").first
            .map { String($0).trimmingWhitespace().lowercased() } ?? ""
        if bytes.isEmpty {
            self = .empty
            return
        }
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            guard let json = try? JSONCoding.decode(JSONValue.self, from: bytes) else {
                throw IOToyError(.badRequest, code: "invalid_json", message: "the body is not valid JSON")
            }
            self = .json(json)
            return
        }
        switch mediaType {
        case "", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream":
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw IOToyError(.badRequest, code: "invalid_text", message: "the body is not UTF-8 text")
            }
            self = .text(text)
        default:
            throw IOToyError(
                .unsupportedMediaType, message: "Content-Type '\(mediaType)' is not accepted",
                detail: "send raw text, text/plain or application/json")
        }
    }
}
