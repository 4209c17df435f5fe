import Testing
@testable import IOToyCore

@Suite struct RepresentationTests {
    func decoded(_ value: some Encodable) throws -> JSONValue {
        try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode(value))
    }

    @Test func typeStringsAreExactlyTheOriginals() {
        #expect(TypeURI.directory == "iotoy.org/type/dir")
        #expect(TypeURI.deviceDescription == "iotoy.org/type/json")
        #expect(ValueType.int.typeURI == "iotoy.org/types/int")
        #expect(TypeURI.function == "iotoy.org/types/function")
        #expect(TypeURI.null == "iotoy.org/types/null")
        #expect(TypeURI.exception == "iotoy.org/types/exception")
    }

    @Test func directoryHasTrailingSlashHrefAndRelativeNames() throws {
        let leg = try ResourcePath(parsing: "/front_left_leg")
        let json = try decoded(Representation.directory(at: leg, help: "Front left leg", children: ["lift", "swing"]))
        #expect(json == .object([
            "type": .string("iotoy.org/type/dir"), "href": .string("/front_left_leg/"), "help": .string("Front left leg"),
            "value": .array([.string("lift"), .string("swing")]),
        ]))
    }

    @Test func functionSpecUsesBareTypePairs() throws {
        let path = try ResourcePath(parsing: "/one_arg_int_result_int")
        let spec = FunctionSpec(args: [Parameter("myarg", .int)], result: [Parameter("result", .int)])
        let json = try decoded(Representation.function(at: path, help: "test", spec: spec))
        #expect(json == .object([
            "type": .string("iotoy.org/types/function"), "href": .string("/one_arg_int_result_int"), "help": .string("test"),
            "value": .object([
                "name": .string("one_arg_int_result_int"),
                "spec": .object(["args": .array([.array([.string("myarg"), .string("int")])]),
                                 "result": .array([.array([.string("result"), .string("int")])])]),
            ]),
        ]))
        #expect(spec.wireDescription == "myarg:int -> result:int")
        #expect(FunctionSpec().wireDescription == "->")
        #expect(try JSONCoding.decode(FunctionSpec.self, from: try JSONCoding.encode(spec)) == spec)
    }

    @Test func callResults() throws {
        let spec = FunctionSpec(args: [Parameter("myarg", .int)], result: [Parameter("result", .int)])
        #expect(try decoded(Representation.callResult(.int(41), spec: spec))
            == .object(["type": .string("int"), "name": .string("result"), "value": .int(41)]))
        #expect(try decoded(Representation.callResult(nil, spec: FunctionSpec()))
            == .object(["type": .string("iotoy.org/types/null"), "value": .null]))
    }

    @Test func slashesAreNotEscapedAndKeysAreSorted() throws {
        let bytes = try JSONCoding.encode(Representation(type: "iotoy.org/types/int", href: "/a/b", help: "h", value: .int(1)))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"help":"h","href":"/a/b","type":"iotoy.org/types/int","value":1}"#)
    }

    @Test func exceptionRepresentationAndStatuses() throws {
        let error = IOToyError(.outOfRange, message: "too far", detail: "max 160")
        #expect(error.status == 422)
        #expect(try decoded(error.representation(href: "/lift")) == .object([
            "type": .string("iotoy.org/types/exception"), "href": .string("/lift"), "help": .string("too far"),
            "value": .object(["error": .string("out_of_range"), "message": .string("too far"), "detail": .string("max 160")]),
        ]))
        let statuses: [IOToyError.Kind: Int] = [
            .badRequest: 400, .notFound: 404, .methodNotAllowed(allow: ["GET"]): 405, .conflict: 409,
            .payloadTooLarge: 413, .unsupportedMediaType: 415, .requestHeaderTooLarge: 431, .outOfRange: 422, .hardwareFault: 503, .timeout: 504,
        ]
        for (kind, status) in statuses { #expect(kind.status == status) }
    }

    @Test func constraintsPrintIntegersAsIntegers() throws {
        #expect(try decoded(Constraints(min: 20, max: 160.5, unit: "deg"))
            == .object(["min": .int(20), "max": .double(160.5), "unit": .string("deg")]))
    }
}
