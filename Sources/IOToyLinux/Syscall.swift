import Glibc
import IOToyHAL

/// The one place IOToyLinux makes a failing system call: it retries `EINTR` and turns any
/// other failure into a ``HardwareError`` that names the device, the operation and the errno.
enum Syscall {
    /// Runs `body` (a libc call returning -1 and setting errno on failure) until it does not
    /// fail with EINTR.
    @discardableResult
    static func retrying<Result: BinaryInteger>(
        _ operation: @autoclosure () -> String, device: @autoclosure () -> String, _ body: () -> Result
    ) throws(HardwareError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw HardwareError(errno: code, operation: operation(), device: device())
        }
    }

    /// Like ``retrying(_:device:_:)`` for calls that return a negative errno instead of
    /// setting errno (libi2c, libgpiod v2 helpers).
    @discardableResult
    static func returningNegativeErrno<Result: SignedInteger>(
        _ operation: @autoclosure () -> String, device: @autoclosure () -> String, _ body: () -> Result
    ) throws(HardwareError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Int32(truncatingIfNeeded: 0 - result)
            if code == EINTR { continue }
            throw HardwareError(errno: code, operation: operation(), device: device())
        }
    }

    /// The text of an errno, e.g. `No such file or directory`.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}

extension HardwareError {
    /// A failure classified by its errno.
    init(errno code: Int32, operation: String, device: String, message: String? = nil) {
        let kind: Kind = switch code {
        case ENOENT, ENODEV, ENXIO: .notFound
        case EBUSY: .busy
        case EACCES, EPERM: .permissionDenied
        case ETIMEDOUT: .timeout
        case EINVAL, ENOTTY, EOPNOTSUPP, ENOSYS: .unsupported
        case EIO, EREMOTEIO, EPROTO, EAGAIN: .io
        case EPIPE, ESHUTDOWN, ENOLINK: .disconnected
        default: .io
        }
        self.init(kind, operation: operation, device: device, errno: code, message: message ?? Syscall.describe(code))
    }
}
