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
}
