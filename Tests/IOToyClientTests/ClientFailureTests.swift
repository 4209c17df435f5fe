import IOToyClient
import Testing

/// Unhappy paths: what the device refuses, what cannot be reached, what cannot be found.
@Suite struct ClientFailureTests {
    @Test func outOfRangeNamesTheLimits() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            do {
                try await cat.front_left_leg.lift.set(200)
                Issue.record("200 was accepted")
            } catch IOToyClientError.rejected(let exception) {
                #expect(exception.status == 422)
                #expect(exception.code == "out_of_range")
                #expect(exception.detail == "min 20, max 160 deg")
                #expect(exception.description == "/front_left_leg/lift: 200 is outside the limits (min 20, max 160 deg)")
            }
            #expect(try await cat.front_left_leg.lift.value().doubleValue == 90)
        }
    }

    @Test func unknownPathsAnswer404() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            do {
                _ = try await cat.connection.get("/nowhere")
                Issue.record("/nowhere answered")
            } catch IOToyClientError.rejected(let exception) {
                #expect(exception.status == 404)
                #expect(exception.code == "not_found")
                #expect(exception.href == "/nowhere")
            }
        }
    }

    @Test func aFaultedSensorAnswers503() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            do {
                _ = try await cat.broken.value()
                Issue.record("the broken sensor answered")
            } catch IOToyClientError.rejected(let exception) {
                #expect(exception.status == 503)
                #expect(exception.code.hasPrefix("hardware_"))
                #expect(exception.message.contains("test sensor"))
            }
        }
    }

    @Test func nothingListeningIsUnreachable() async throws {
        do {
            _ = try await IOToy.device("127.0.0.1:1")
            Issue.record("port 1 answered")
        } catch IOToyClientError.unreachable(let device, let url, let reason) {
            #expect(device == "127.0.0.1:1")
            #expect(url == "http://127.0.0.1:1/devinfo")
            #expect(reason == "connection refused")
        }
    }

    @Test func anUnknownNameIsNotFoundOrCannotBeLookedUp() async throws {
        do {
            _ = try await IOToy.device("nosuchcat", lookupTimeout: .seconds(2))
            Issue.record("nosuchcat was found")
        } catch IOToyClientError.deviceNotFound(let name) {
            #expect(name == "nosuchcat")                       // avahi-daemon runs here
        } catch IOToyClientError.discoveryUnavailable(let name, let reason) {
            #expect(name == "nosuchcat")                       // no avahi-daemon here
            #expect(reason == "avahi-daemon is not running")
        }
    }

    @Test func exceptionsOfTheOriginalHostAreRead() {
        let original = IOToyException(
            status: 200, json: .object(["type": .string("iotoy.org/types/exception"), "value": .string("Bad Value")]),
            requestedPath: "/ratio")
        #expect(original == IOToyException(status: 200, href: "/ratio", code: "error", message: "Bad Value", detail: nil))
        #expect(IOToyException(status: 200, json: .object(["type": .string("iotoy.org/types/int")]), requestedPath: "/x") == nil)
    }
}
