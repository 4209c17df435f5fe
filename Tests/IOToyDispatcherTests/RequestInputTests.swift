import IOToyCore
import Testing
@testable import IOToyDispatcher

@Suite struct RequestInputTests {
    let move = FunctionSpec(args: [Parameter("leg", .int), Parameter("angle", .float), Parameter("note", .str)])

    @Test func textArgumentsSplitOnSpacesWithTheLastTakingTheRest() throws {
        #expect(try RequestInput.text("2 45.5 slowly please").arguments(for: move) == [.int(2), .float(45.5), .str("slowly please")])
        #expect(try RequestInput.text("hello world").arguments(for: FunctionSpec(args: [Parameter("s", .str)])) == [.str("hello world")])
        #expect(throws: IOToyError.self) { try RequestInput.text("2 45.5").arguments(for: move) }
        #expect(throws: IOToyError.self) { try RequestInput.text("x 45 a").arguments(for: move) }
    }

    @Test func jsonArgumentsAsArrayObjectOrSingleValue() throws {
        #expect(try RequestInput.json(.array([.int(2), .double(45), .string("n")])).arguments(for: move) == [.int(2), .float(45), .str("n")])
        #expect(try RequestInput.json(.object(["args": .array([.int(2), .int(45), .string("n")])])).arguments(for: move).count == 3)
        #expect(try RequestInput.json(.int(41)).arguments(for: FunctionSpec(args: [Parameter("x", .int)])) == [.int(41)])
        #expect(try RequestInput.empty.arguments(for: FunctionSpec()) == [])
        #expect(throws: IOToyError.self) { try RequestInput.empty.arguments(for: move) }
        #expect(throws: IOToyError.self) { try RequestInput.json(.array([.string("2"), .int(45), .string("n")])).arguments(for: move) }
    }

    @Test func valuesFromTextAndJson() throws {
        #expect(try RequestInput.text("True").value(as: .bool) == .bool(true))
        #expect(try RequestInput.json(.bool(false)).value(as: .bool) == .bool(false))
        #expect(try RequestInput.json(.object(["value": .double(2.5)])).value(as: .float) == .float(2.5))
        #expect(try RequestInput.json(.object(["a": .int(1)])).value(as: .json) == .json(.object(["a": .int(1)])))
        #expect { try RequestInput.text("maybe").value(as: .bool) } throws: { ($0 as? IOToyError)?.status == 400 }
    }

    @Test func anObjectWithoutValueSaysWhichKeysAreAccepted() throws {
        let error = try #require(throws: IOToyError.self) { try RequestInput.json(.object(["valu": .int(45)])).value(as: .float) }
        #expect(error.status == 400)
        #expect(error.message == "a JSON object body takes exactly one key, 'value' (or send the bare value); got 'valu'")
        let two = try #require(throws: IOToyError.self) {
            try RequestInput.json(.object(["value": .int(1), "extra": .int(2)])).value(as: .int)
        }
        #expect(two.message.contains("got 'extra', 'value'"))
        let call = try #require(throws: IOToyError.self) {
            try RequestInput.json(.object(["arg": .int(3)])).arguments(for: FunctionSpec(args: [Parameter("x", .int)]))
        }
        #expect(call.message.contains("takes one key, 'args'"))
        #expect(try RequestInput.json(.object(["a": .int(1)])).arguments(for: FunctionSpec(args: [Parameter("j", .json)])) == [.json(.object(["a": .int(1)]))])
    }
}
