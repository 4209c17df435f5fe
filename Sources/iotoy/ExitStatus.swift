import ArgumentParser
import Foundation
import IOToyClient

/// The exit status for each kind of failure (listed in `iotoy --help`).
enum ExitStatus: Int32 {
    case unexpected = 1
    case deviceNotFound = 2
    case discoveryUnavailable = 3
    case unreachable = 4
    case noSuchResource = 5
    case badRequest = 6
    case outOfRange = 7
    case deviceFault = 8
    case refusedByDevice = 9
    case notAllowed = 10
    case usage = 64

    init(for error: any Error) {
        switch error {
        case let error as IOToyClientError:
            switch error {
            case .deviceNotFound: self = .deviceNotFound
            case .discoveryUnavailable: self = .discoveryUnavailable
            case .unreachable: self = .unreachable
            case .noSuchResource: self = .noSuchResource
            case .invalidAddress: self = .usage
            case .invalidPath, .wrongKind, .wrongArgumentCount, .badArgument: self = .badRequest
            case .unexpectedAnswer: self = .unexpected
            case .rejected(let exception): self = ExitStatus(status: exception.status)
            }
        case let error as DiscoveryError:
            switch error {
            case .daemonUnavailable: self = .discoveryUnavailable
            case .notFound: self = .deviceNotFound
            case .avahi: self = .unexpected
            }
        default:
            self = .unexpected
        }
    }

    init(status: Int) {
        switch status {
        case 404: self = .noSuchResource
        case 409: self = .refusedByDevice
        case 401, 403: self = .notAllowed
        case 422: self = .outOfRange
        case 500...: self = .deviceFault
        case 400..<500: self = .badRequest
        default: self = .unexpected
        }
    }
}

/// Runs a command's work; a failure is printed as `iotoy: <what went wrong>` on standard
/// error and ends the program with its ``ExitStatus``.
func reportingFailures(_ work: () async throws -> Void) async throws {
    do {
        try await work()
    } catch let error as ExitCode {
        throw error
    } catch {
        Output.error("iotoy: \(error)")
        throw ExitCode(ExitStatus(for: error).rawValue)
    }
}
