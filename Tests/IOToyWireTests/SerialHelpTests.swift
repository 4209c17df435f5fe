import IOToyCore
import IOToyWire
import Testing

@Suite("Help lines and listings")
struct SerialHelpTests {
    @Test func attributeHelp() throws {
        let help = try #require(AttributeHelp("int - How long to move forward"))
        #expect(help.type == .int && help.text == "How long to move forward")
        #expect(AttributeHelp("T - anything")?.type == .str)
        #expect(AttributeHelp("bool")?.text == "")
        #expect(AttributeHelp("float - a - b")?.text == "a - b")
        #expect(AttributeHelp("widget - unknown type") == nil)
        #expect(AttributeHelp("int long - two words") == nil)
    }

    @Test(arguments: [
        ("forward dist:int -> - Move forward for a distance", "forward", [Parameter("dist", .int)], [Parameter](), "Move forward for a distance"),
        ("on -> - Turn on", "on", [], [], "Turn on"),
        ("one_arg_int_result_int myarg:int -> result:int - test, one arg, one result, both ints", "one_arg_int_result_int",
         [Parameter("myarg", .int)], [Parameter("result", .int)], "test, one arg, one result, both ints"),
        ("move leg:int angle:float -> ok:bool - Move a leg", "move", [Parameter("leg", .int), Parameter("angle", .float)], [Parameter("ok", .bool)], "Move a leg"),
        ("label n:int text:str -> labelled:str - Number - and text", "label", [Parameter("n", .int), Parameter("text", .str)], [Parameter("labelled", .str)], "Number - and text"),
        ("help -> helptext:str - try 'help help', 'funcs' and 'attrs'", "help", [], [Parameter("helptext", .str)], "try 'help help', 'funcs' and 'attrs'"),
        ("stop ->", "stop", [], [], ""),
    ])
    func functionHelp(line: String, name: String, args: [Parameter], result: [Parameter], text: String) throws {
        let help = try #require(FunctionHelp(line))
        #expect(help.name == name)
        #expect(help.spec == FunctionSpec(args: args, result: result))
        #expect(help.text == text)
    }

    @Test(arguments: ["int - How long", "forward dist:int - no arrow", "-> x:int - no name", "f a:widget -> - bad type", "f a: -> - empty type", "f -> a:int b:int - two results", ""])
    func notAFunctionSpec(line: String) {
        #expect(FunctionHelp(line) == nil)
    }

    @Test func functionListsDropTheBuiltins() {
        #expect(SerialListing.functions("ping,devinfo,funcs,attrs,set,get,help,forward,stop") == ["forward", "stop"])
        #expect(SerialListing.functions("ping,funcs,attrs,set,get,help,devinfo") == [])
        #expect(SerialListing.functions(" a , b,,a") == ["a", "b"])
    }

    @Test func attributeListsKeepTypesAndOrder() {
        let listed = SerialListing.attributes("drive_forward_time_ms:int,str_id:str,ratio:float,some_flag:bool,odd:widget,bare")
        #expect(listed.map(\.name) == ["drive_forward_time_ms", "str_id", "ratio", "some_flag", "odd", "bare"])
        #expect(listed.map(\.type) == [.int, .str, .float, .bool, nil, nil])
        #expect(SerialListing.attributes("").isEmpty)
        #expect(SerialListing.attributes("-").isEmpty)
    }

    @Test func aWholeTranscriptParsesTheSameAtEverySplit() {
        let wire = Array("200:DEV READY:testhost\r\n200:ATTRS OK:ratio:float,some_flag:bool\r\n200:Help found:add a:int b:int -> sum:int - Add two integers\r\n".utf8)
        func parse(_ chunks: [ArraySlice<UInt8>]) -> [String] {
            var splitter = SerialLineSplitter()
            let replies = chunks.flatMap { splitter.feed($0) }.compactMap(SerialReply.init(line:))
            return [replies[0].readyIdentity?.deviceName ?? "?"]
                + SerialListing.attributes(replies[1].data).map { "\($0.name):\($0.type?.rawValue ?? "?")" }
                + [FunctionHelp(replies[2].data).map { "\($0.name) \($0.spec.wireDescription)" } ?? "?"]
        }
        let whole = parse([wire[...]])
        #expect(whole == ["testhost", "ratio:float", "some_flag:bool", "add a:int b:int -> sum:int"])
        for cut in 0...wire.count {
            #expect(parse([wire[..<cut], wire[cut...]]) == whole, "split at \(cut)")
        }
    }
}
