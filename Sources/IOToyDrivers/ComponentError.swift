/// What a component refuses or finds wrong, in its own terms. A driver says what happened;
/// the dispatcher's one mapping (`IOToyError(mapping:)`) decides the HTTP status, the IOTOY
/// exception and its code.
public struct ComponentError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A value of the wrong kind for the resource (a bool for an angle). 400.
        case badValue
        /// A value outside what the component or its device can take. 422.
        case outOfRange
        /// The component has no such attribute or function. 404.
        case noSuchResource
        /// The attribute cannot be set. 405.
        case readOnly
        /// A command the device's protocol cannot carry (too long, a space in text). 400 `command_refused`.
        case commandRefused
        /// The device could not parse the command. 400 `device_bad_request`.
        case deviceBadRequest
        /// The device does not know the name. 404 `device_not_found`.
        case deviceNotFound
        /// The device refused a value its own code will not take. 409 `device_refused`.
        case deviceRefused
        /// The device answered something that is not what it promised. 503 `bad_device_reply`.
        case badDeviceReply
        /// The device answered with an error code of its own. 503 `device_error`.
        case deviceError
    }

    public let kind: Kind
    public let message: String
    /// What the client may do about it (limits, the device's own reply).
    public let detail: String?

    public init(_ kind: Kind, _ message: String, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.detail = detail
    }

    public var description: String { detail.map { "\(message) (\($0))" } ?? message }
}
