/// An error answered to a client: an HTTP status and the IOTOY exception representation.
///
/// Every failure (bad body, unknown path, out-of-range value, hardware fault) becomes one of
/// these in one place, so clients always get `{"type": "iotoy.org/types/exception", …}`.
public struct IOToyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, with its HTTP status.
    public enum Kind: Sendable, Hashable {
        /// 400: a body or value that cannot be parsed or has the wrong type.
        case badRequest
        /// 401: credentials are needed (or the token sent is not valid).
        case unauthorized
        /// 403: the requester's role may not do this (or the device is read-only).
        case forbidden
        /// 404: no resource at this path.
        case notFound
        /// 405: the resource does not accept this method; `allow` lists what it accepts.
        case methodNotAllowed(allow: [String])
        /// 413: the body is too large.
        case payloadTooLarge
        /// 415: a Content-Type that is neither text nor JSON.
        case unsupportedMediaType
        /// 431: the request line and headers are larger than the server accepts.
        case requestHeaderTooLarge
        /// 409: the request conflicts with the resource's state (e.g. a read-only value).
        case conflict
        /// 422: a well-formed value outside the resource's limits.
        case outOfRange
        /// 503: the hardware behind the resource is faulted.
        case hardwareFault
        /// 504: the device did not answer in time.
        case timeout
        /// 429: too many failed authentications from this address; retry later.
        case tooManyRequests
        /// 500: a defect in iotoyd itself.
        case internalError
    }

    public let kind: Kind
    /// A short machine-readable code, e.g. `out_of_range`.
    public let code: String
    /// A one-line message for people.
    public let message: String
    /// More detail (the device, errno, the limit that was hit), if any.
    public let detail: String?

    public init(_ kind: Kind, code: String? = nil, message: String, detail: String? = nil) {
        self.kind = kind
        self.code = code ?? kind.defaultCode
        self.message = message
        self.detail = detail
    }

    /// The HTTP status code.
    public var status: Int { kind.status }

    public var description: String {
        detail.map { "\(message) (\($0))" } ?? message
    }

    /// The exception representation for a request to `href`.
    public func representation(href: String) -> Representation {
        var value: [String: JSONValue] = ["error": .string(code), "message": .string(message)]
        value["detail"] = detail.map(JSONValue.string) ?? .null
        return Representation(type: TypeURI.exception, href: href, help: message, value: .object(value))
    }
}

extension IOToyError.Kind {
    /// The HTTP status code of this kind.
    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .requestHeaderTooLarge: 431
        case .outOfRange: 422
        case .tooManyRequests: 429
        case .hardwareFault: 503
        case .timeout: 504
        case .internalError: 500
        }
    }

    /// The `value.error` code used when none is given.
    public var defaultCode: String {
        switch self {
        case .badRequest: "bad_value"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .payloadTooLarge: "body_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .requestHeaderTooLarge: "request_too_large"
        case .outOfRange: "out_of_range"
        case .tooManyRequests: "too_many_failures"
        case .hardwareFault: "hardware_fault"
        case .timeout: "timeout"
        case .internalError: "internal_error"
        }
    }
}
