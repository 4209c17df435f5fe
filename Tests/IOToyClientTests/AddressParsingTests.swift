import IOToyClient
import Testing

@Suite struct AddressParsingTests {
    @Test(arguments: [
        ("robocat", DeviceAddress.name("robocat")),
        ("robocat #2", .name("robocat #2")),
        ("pi.local:5000", .endpoint(host: "pi.local", port: 5000)),
        ("192.0.2.7:8080", .endpoint(host: "192.0.2.7", port: 8080)),
        ("192.0.2.7", .endpoint(host: "192.0.2.7", port: 5000)),
        ("localhost", .endpoint(host: "localhost", port: 5000)),
        ("[2001:db8::7]:5001", .endpoint(host: "2001:db8::7", port: 5001)),
        ("[::1]", .endpoint(host: "::1", port: 5000)),
        ("2001:db8::7", .endpoint(host: "2001:db8::7", port: 5000)),
    ])
    func devices(text: String, address: DeviceAddress) throws {
        #expect(try DeviceAddress(parsing: text) == address)
    }

    @Test(arguments: ["", "pi:0", "pi:99999", "pi:http", ":5000", "[::1", "[::1]5000"])
    func notDevices(text: String) {
        #expect(throws: IOToyClientError.self) { try DeviceAddress(parsing: text) }
    }

    @Test func targetsSplitAtTheFirstSlash() throws {
        let lift = try ResourceTarget(parsing: "robocat/front_left_leg/lift")
        #expect(lift.device == .name("robocat"))
        #expect(lift.path == (try ResourcePath(parsing: "/front_left_leg/lift")))
        #expect(lift.description == "robocat/front_left_leg/lift")

        let root = try ResourceTarget(parsing: "[::1]:5000")
        #expect(root.device == .endpoint(host: "::1", port: 5000))
        #expect(root.path.isRoot)
        #expect(try ResourceTarget(parsing: "robocat #2/eyes/").path == (try ResourcePath(parsing: "/eyes")))
        #expect(throws: IOToyClientError.self) { try ResourceTarget(parsing: "robocat/front left") }
    }
}
