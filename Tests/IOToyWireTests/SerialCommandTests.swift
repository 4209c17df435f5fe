import IOToyCore
import IOToyWire
import Testing

@Suite("Serial commands are checked before anything is sent")
struct SerialCommandTests {
    @Test func linesEndInASingleLF() throws {
        #expect(SerialCommand.ping.bytes == Array("ping\n".utf8))
        #expect(try SerialCommand.get("ratio").bytes == Array("get ratio\n".utf8))
        #expect(!(try SerialCommand.call("forward", arguments: [.int(5)]).bytes.contains(UInt8(ascii: "\r"))))
    }

    @Test func valuesUseTheSpellingsTheOriginalFirmwareAccepts() throws {
        #expect(try SerialCommand.set("some_flag", .bool(true)).line == "set some_flag True")
        #expect(try SerialCommand.set("some_flag", .bool(false)).line == "set some_flag False")
        #expect(try SerialCommand.set("ratio", .float(2.5)).line == "set ratio 2.5")
        #expect(try SerialCommand.set("ratio", .float(45)).line == "set ratio 45")
        #expect(try SerialCommand.set("count", .int(-3)).line == "set count -3")
        #expect(try SerialCommand.set("str_id", .str("hello world")).line == "set str_id hello world")
        #expect(try SerialCommand.set("str_id", .str("")).line == "set str_id ", "an empty string is a trailing space")
    }

    @Test func functionsTakeSeveralArguments() throws {
        #expect(try SerialCommand.call("barecommand", arguments: []).line == "barecommand")
        #expect(try SerialCommand.call("add", arguments: [.int(2), .int(3)]).line == "add 2 3")
        #expect(try SerialCommand.call("label", arguments: [.int(3), .str("some words")]).line == "label 3 some words")
    }

    @Test func onlyTheLastArgumentMayHoldSpacesOrBeEmpty() {
        #expect(throws: SerialCommandError.ambiguousArgument(position: 1, text: "a b")) {
            try SerialCommand.call("label", arguments: [.str("a b"), .str("x")])
        }
        #expect(throws: SerialCommandError.ambiguousArgument(position: 1, text: "")) {
            try SerialCommand.call("label", arguments: [.str(""), .str("x")])
        }
    }

    @Test func theLongestLineIs139Bytes() throws {
        let fits = String(repeating: "x", count: 139 - "set str_id ".count)
        #expect(try SerialCommand.set("str_id", .str(fits)).line.utf8.count == 139)
        #expect(throws: SerialCommandError.tooLong(bytes: 140, limit: 139)) {
            try SerialCommand.set("str_id", .str(fits + "x"))
        }
        #expect(throws: SerialCommandError.tooLong(bytes: 142, limit: 139)) {
            try SerialCommand.set("str_id", .str(fits + "\u{e9}x"))   // bytes, not characters
        }
    }

    @Test func lineBreaksAndBadNamesAreRefused() {
        #expect(throws: SerialCommandError.lineBreak) { try SerialCommand.set("str_id", .str("a\nping")) }
        #expect(throws: SerialCommandError.lineBreak) { try SerialCommand.call("echo", arguments: [.str("a\rb")]) }
        #expect(throws: SerialCommandError.invalidName("get ratio")) { try SerialCommand.get("get ratio") }
        #expect(throws: SerialCommandError.invalidName("")) { try SerialCommand.call("", arguments: []) }
        #expect(throws: SerialCommandError.invalidName("forward")) { try SerialCommand.builtin("forward") }
    }

    @Test func valuesAreReadAsTheDeviceWroteThem() throws {
        #expect(try SerialValueFormat.value("True", as: .bool) == .bool(true))
        #expect(try SerialValueFormat.value("0", as: .bool) == .bool(false))
        #expect(try SerialValueFormat.value(" 42 ", as: .int) == .int(42))
        #expect(try SerialValueFormat.value("1.0e+12", as: .float) == .float(1e12))
        #expect(try SerialValueFormat.value(" two words ", as: .str) == .str(" two words "))
        #expect(throws: ValueConversionError.self) { try SerialValueFormat.value("nan", as: .float) }
        #expect(throws: ValueConversionError.self) { try SerialValueFormat.value("inf", as: .float) }
        #expect(throws: ValueConversionError.self) { try SerialValueFormat.value("maybe", as: .bool) }
        #expect(throws: ValueConversionError.self) { try SerialValueFormat.value("12abc", as: .int) }
    }
}
