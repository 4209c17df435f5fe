import IOToyCore
import IOToyDrivers
import Testing
@testable import IOToyDispatcher

/// A component's refusal becomes what the client is told in one place: status, code, detail.
@Suite struct ComponentErrorMappingTests {
    static let table: [(ComponentError.Kind, status: Int, code: String)] = [
        (.badValue, 400, "bad_value"), (.outOfRange, 422, "out_of_range"), (.noSuchResource, 404, "not_found"),
        (.readOnly, 405, "method_not_allowed"), (.commandRefused, 400, "command_refused"),
        (.deviceBadRequest, 400, "device_bad_request"), (.deviceNotFound, 404, "device_not_found"),
        (.deviceRefused, 409, "device_refused"), (.badDeviceReply, 503, "bad_device_reply"), (.deviceError, 503, "device_error"),
    ]

    @Test(arguments: table.indices)
    func eachKindHasItsStatusAndCode(_ index: Int) {
        let (kind, status, code) = Self.table[index]
        let mapped = IOToyError(mapping: ComponentError(kind, "the message", detail: "the detail") as any Error)
        #expect(mapped.status == status, "\(kind)")
        #expect(mapped.code == code, "\(kind)")
        #expect(mapped.message == "the message")
        #expect(mapped.detail == "the detail")
    }

    @Test func aReadOnlyAttributeAllowsGET() {
        let mapped = IOToyError(mapping: ComponentError(.readOnly, "read-only") as any Error)
        #expect(mapped.kind == .methodNotAllowed(allow: ["GET"]))
    }
}
