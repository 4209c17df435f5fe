import IOToyDrivers
import IOToyCore
import IOToyHAL

extension IOToyError {
    /// The one mapping from any failure to what a client is told: hardware faults are 503
    /// (timeouts 504), bad values 400, unknown paths 404, anything unexpected 500.
    public init(mapping error: any Error) {
        switch error {
        case let error as IOToyError:
            self = error
        case let error as HardwareError:
            let detail = error.errno.map { "\(error.operation), errno \($0)" } ?? error.operation
            self = IOToyError(
                error.kind == .timeout ? .timeout : .hardwareFault,
                code: error.kind == .timeout ? "device_timeout" : "hardware_\(error.kind.rawValue)",
                message: error.description, detail: detail)
        case let error as ComponentError:
            self = IOToyError(mapping: error)
        case let error as ValueConversionError:
            self = IOToyError(.badRequest, message: error.description)
        case let error as ResourcePathError:
            self = IOToyError(.notFound, message: error.description)
        case let error as OwnerStoppedError:
            self = IOToyError(.hardwareFault, code: "shutting_down", message: error.description)
        case is CancellationError:
            self = IOToyError(.hardwareFault, code: "shutting_down", message: "iotoyd is shutting down")
        default:
            self = IOToyError(.internalError, message: "\(error)")
        }
    }
}

extension IOToyError {
    /// A component's refusal as the client is told it: status, exception code and detail.
    init(mapping error: ComponentError) {
        let message = error.message, detail = error.detail
        switch error.kind {
        case .badValue: self = IOToyError(.badRequest, message: message, detail: detail)
        case .outOfRange: self = IOToyError(.outOfRange, message: message, detail: detail)
        case .noSuchResource: self = IOToyError(.notFound, message: message, detail: detail)
        case .readOnly: self = IOToyError(.methodNotAllowed(allow: ["GET"]), message: message, detail: detail)
        case .commandRefused: self = IOToyError(.badRequest, code: "command_refused", message: message, detail: detail)
        case .deviceBadRequest: self = IOToyError(.badRequest, code: "device_bad_request", message: message, detail: detail)
        case .deviceNotFound: self = IOToyError(.notFound, code: "device_not_found", message: message, detail: detail)
        case .deviceRefused: self = IOToyError(.conflict, code: "device_refused", message: message, detail: detail)
        case .badDeviceReply: self = IOToyError(.hardwareFault, code: "bad_device_reply", message: message, detail: detail)
        case .deviceError: self = IOToyError(.hardwareFault, code: "device_error", message: message, detail: detail)
        }
    }
}
