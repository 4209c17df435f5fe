/// A failure of the hardware or the kernel interface behind it, naming the device and operation.
///
/// Backends throw these; the dispatcher maps them in one place to 503 (fault) or 504 (timeout).
public struct HardwareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of failure.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The chip, line, bus, channel or port does not exist.
        case notFound = "not_found"
        /// Something else holds the line, channel or port.
        case busy
        /// An I/O error: NACK, EIO, a short transfer.
        case io
        /// The device did not answer in time.
        case timeout
        /// The device was unplugged or hung up.
        case disconnected
        /// The request cannot be honoured by this hardware (a setting it lacks, a bad argument).
        case unsupported
        /// Access was refused (permissions).
        case permissionDenied = "permission_denied"
    }

    public let kind: Kind
    /// What was being done, e.g. `read byte data 0xd0`, `request line`.
    public let operation: String
    /// The device, e.g. `i2c-1 address 0x76`, `gpiochip0 (pinctrl-bcm2711) line GPIO17`.
    public let device: String
    /// The errno reported by the kernel, if any.
    public let errno: Int32?
    /// Extra explanation.
    public let message: String?

    public init(_ kind: Kind, operation: String, device: String, errno: Int32? = nil, message: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.device = device
        self.errno = errno
        self.message = message
    }

    public var description: String {
        var text = "\(device): \(operation) failed (\(kind.rawValue)"
        if let errno { text += ", errno \(errno)" }
        text += ")"
        if let message { text += ": \(message)" }
        return text
    }
}
