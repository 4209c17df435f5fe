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
