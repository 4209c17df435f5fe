import IOToyCore
import IOToyWire
import Testing

@Suite("Serial replies and device ids")
struct SerialReplyTests {
    @Test(arguments: [
        ("200:OK:pong", 200, "OK", "pong"),
        ("200:Found:a:b:c", 200, "Found", "a:b:c"),
        ("200:Success:-", 200, "Success", "-"),
        ("404:forward Not Found:-", 404, "forward Not Found", "-"),
        ("500:Bad Value:-", 500, "Bad Value", "-"),
        ("200:ATTRS OK:", 200, "ATTRS OK", ""),
        ("400:Fail:Usage: set <attr> <value>", 400, "Fail", "Usage: set <attr> <value>"),
    ])
    func parses(line: String, code: Int, status: String, data: String) throws {
        let reply = try #require(SerialReply(line: line))
        #expect(reply == SerialReply(code: code, status: status, data: data))
        #expect(reply.description == line)
    }

    @Test(arguments: ["", "hello", "debug: x=3", "20:OK:x", "2000:OK:x", "abc:OK:x", "200", "200:OK", "999:OK:x", ":OK:x"])
    func rejectsLinesThatAreNotReplies(line: String) {
        #expect(SerialReply(line: line) == nil)
    }

    @Test func payloadTreatsDashAndEmptyAsNothing() {
        #expect(SerialReply(line: "200:Success:-")?.payload == nil)
        #expect(SerialReply(line: "200:Found:")?.payload == nil)
        #expect(SerialReply(line: "200:Found:-1")?.payload == "-1")
    }

    @Test func readyLineCarriesTheIdentity() throws {
        let plain = try #require(SerialReply(line: "200:DEV READY:testhost")?.readyIdentity)
        #expect(plain.plainID == "testhost" && plain.specifier == nil && plain.deviceName == "testhost")
        let specific = try #require(SerialReply(line: "200:DEV READY:robot:kitchen")?.readyIdentity)
        #expect(specific.deviceName == "robot_kitchen")
        #expect(specific.description == "robot:kitchen")
        #expect(SerialReply(line: "200:OK:pong")?.readyIdentity == nil)
        #expect(SerialReply(line: "404:DEV READY:x")?.readyIdentity == nil)
    }

    @Test(arguments: ["", "9lives", "robot cat", "robot:", ":x", "a:b:c", "caf\u{e9}", "robot-cat"])
    func rejectsIdsThatAreNotDNSSafe(id: String) {
        #expect(DeviceIdentity(id) == nil)
    }
}
