import Testing
@testable import IOToyCore

@Suite struct ValueTests {
    @Test(arguments: [
        ("True", true), ("False", false), ("true", true), ("0", false), ("1", true), ("t", true), ("F", false), (" True\n", true),
        ("TRUE", true), ("yes", true), ("No", false), ("on", true), ("OFF", false),
    ])
    func boolsFromTextFollowOneRule(_ text: String, _ expected: Bool) throws {
        #expect(try Value(text: text, as: .bool) == .bool(expected))
    }

    @Test(arguments: [("2.5", ValueType.int), ("x", .float), ("yes please", .bool), ("y", .bool), ("2", .bool), ("{", .json), ("nan", .float), ("", .int),
        ("0x1p3", .float), ("0x10", .int), ("inf", .float), ("1e999", .float), ("1_000", .float)])
    func badTextIsRejected(_ text: String, _ type: ValueType) {
        #expect(throws: ValueConversionError.self) { try Value(text: text, as: type) }
    }

    @Test func textKeepsStringsExactly() throws {
        #expect(try Value(text: " hello world ", as: .str) == .str(" hello world "))
        #expect(try Value(text: "2.5", as: .float) == .float(2.5))
        #expect(try Value(text: "-7", as: .int) == .int(-7))
        // A Windows line ending is one Character in Swift; it is white space all the same.
        #expect(try Value(text: "42\r\n", as: .int) == .int(42))
        #expect(try Value(text: "\r\n-1.5e+3\r\n", as: .float) == .float(-1500))
        #expect(try Value(text: "on\r\n", as: .bool) == .bool(true))
        #expect(try Value(text: #"{"a":[1,2]}"#, as: .json) == .json(.object(["a": .array([.int(1), .int(2)])])))
    }

    @Test func jsonConversions() throws {
        #expect(try Value(json: .int(3), as: .float) == .float(3))
        #expect(try Value(json: .double(3.0), as: .int) == .int(3))
        #expect(throws: ValueConversionError.self) { try Value(json: .double(3.5), as: .int) }
        #expect(throws: ValueConversionError.self) { try Value(json: .string("1"), as: .int) }
        #expect(throws: ValueConversionError.self) { try Value(json: .int(1), as: .bool) }
        #expect(try Value(json: .null, as: .json) == .json(.null))
    }
}
