import IOToyCore
import IOToyDispatcher
import IOToyDrivers

extension OpenAPIDescription {
    /// The shared schemas: the exception, a directory, the device description.
    static let schemas: [String: JSONValue] = [
        "Exception": object(
            required: ["type", "href", "help", "value"],
            [
                "type": constant(TypeURI.exception), "href": string, "help": string,
                "value": object(required: ["error", "message"], [
                    "error": .object(["type": .string("string"), "pattern": .string("^[a-z_]+$")]),
                    "message": string,
                    "detail": .object(["type": .array([.string("string"), .string("null")])]),
                ]),
            ]),
        "Directory": object(
            required: ["type", "href", "help", "value"],
            ["type": constant(TypeURI.directory), "href": string, "help": string, "value": array(of: string)]),
        "DeviceInfo": object(
            required: ["type", "href", "help", "value"],
            [
                "type": constant(TypeURI.deviceDescription), "href": string, "help": string,
                "value": object(required: ["devicename", "attrs", "funcs"], [
                    "devicename": string,
                    "attrs": .object(["type": .string("object"), "additionalProperties": object(
                        required: ["type", "help", "href"], ["type": string, "help": string, "href": string])]),
                    "funcs": .object(["type": .string("object")]),
                ]),
            ]),
    ]

    // MARK: Values

    /// The JSON schema of an attribute's value: its type, its limits, and null where the
    /// attribute can have no value (a ranger that heard no echo).
    static func valueSchema(_ info: AttributeInfo) -> JSONValue {
        var schema: [String: JSONValue]
        switch info.type {
        case .int: schema = ["type": .string("integer")]
        case .float: schema = ["type": .string("number")]
        case .str: schema = ["type": .string("string")]
        case .bool: schema = ["type": .string("boolean")]
        case .json: return .object([:])
        }
        if info.type == .int || info.type == .float {
            if let min = info.constraints?.min { schema["minimum"] = .number(min) }
            if let max = info.constraints?.max { schema["maximum"] = .number(max) }
        }
        if info.nullable, case .string(let type)? = schema["type"] {
            schema["type"] = .array([.string(type), .string("null")])
        }
        return .object(schema)
    }

    /// A function argument's or result's schema.
    static func valueSchema(_ type: ValueType) -> JSONValue {
        valueSchema(AttributeInfo(type: type, help: "", writable: false))
    }

    /// An attribute's representation (§2.1 of docs/wire.md).
    static func attributeRepresentation(_ attribute: ResourceTree.Attribute, value: JSONValue) -> JSONValue {
        var properties: [String: JSONValue] = [
            "type": constant(attribute.info.type.typeURI), "href": constant(attribute.path.description), "help": string,
            "value": value, "methods": .object(["const": .array(attribute.methods.map(JSONValue.string))]),
            "timestamp": .object(["type": .string("number")]),
            "actions": array(of: string),
        ]
        if attribute.info.constraints != nil {
            properties["constraints"] = object(required: [], [
                "min": .object(["type": .string("number")]), "max": .object(["type": .string("number")]), "unit": string,
            ])
        }
        return object(required: ["type", "href", "help", "value", "methods"], properties)
    }

    /// A function's representation: its name and calling spec.
    static func functionRepresentation(_ function: ResourceTree.Function) -> JSONValue {
        object(required: ["type", "href", "help", "value"], [
            "type": constant(TypeURI.function), "href": constant(function.path.description), "help": string,
            "value": object(required: ["name", "spec"], [
                "name": constant(function.path.name ?? ""),
                "spec": object(required: ["args", "result"], ["args": array(of: array(of: string)), "result": array(of: array(of: string))]),
            ]),
        ])
    }

    /// The answer to a call: the result's bare type, name and value, or the null type.
    static func callResult(_ spec: FunctionSpec) -> JSONValue {
        let none = object(required: ["type", "value"], ["type": constant(TypeURI.null), "value": .object(["type": .string("null")])])
        guard let result = spec.result.first else { return none }
        let typed = object(required: ["type", "name", "value"], [
            "type": constant(result.type.rawValue), "name": constant(result.name), "value": valueSchema(result.type),
        ])
        return .object(["anyOf": .array([typed, none])])
    }

    // MARK: Bodies

    /// The text form of a value as the server reads it (docs/wire.md §1.5): numbers in decimal
    /// and bools as their ten words in any letter case, with spaces, tabs, CR and LF around
    /// them; strings exactly (not empty: an empty body is no value). Nil for `json`, whose
    /// text must be JSON (send it as JSON).
    static func textSchema(_ type: ValueType) -> JSONValue? {
        let space = "[ \\t\\r\\n]*"
        func anyCase(_ word: String) -> String {
            word.map { $0.isLetter ? "[\($0.uppercased())\($0.lowercased())]" : String($0) }.joined()
        }
        let pattern: String
        switch type {
        case .int: pattern = "^\(space)[-+]?[0-9]{1,18}\(space)$"
        case .float: pattern = "^\(space)[-+]?([0-9]{1,15}(\\.[0-9]{0,15})?|\\.[0-9]{1,15})([eE][-+]?[0-9]{1,2})?\(space)$"
        case .bool:
            let words = ["true", "t", "yes", "on", "1", "false", "f", "no", "off", "0"].map(anyCase).joined(separator: "|")
            pattern = "^\(space)(\(words))\(space)$"
        case .str: return .object(["type": .string("string"), "minLength": .int(1)])   // an empty body is no value
        case .json: return nil
        }
        return .object(["type": .string("string"), "pattern": .string(pattern)])
    }

    /// PUT: JSON (a bare value or `{"value": …}`) or text.
    static func putBody(_ value: JSONValue, type: ValueType) -> JSONValue {
        let wrapped = JSONValue.object([
            "type": .string("object"), "required": .array([.string("value")]),
            "properties": .object(["value": value]), "additionalProperties": .bool(false),
        ])
        var content: [String: JSONValue] = [
            "application/json": .object(["schema": .object(["anyOf": .array([value, wrapped])])]),
        ]
        // The text form cannot carry limits: a number in range is for the JSON form to say.
        if let text = textSchema(type) { content["text/plain"] = .object(["schema": text]) }
        return .object(["required": .bool(true), "content": .object(content)])
    }

    /// POST: JSON (an array of the arguments, `{"args": […]}`, or one bare value for one
    /// argument) or text; no body for a function without arguments.
    static func callBody(_ spec: FunctionSpec) -> JSONValue {
        guard !spec.args.isEmpty else {
            return .object([
                "required": .bool(false),
                "content": .object([
                    "application/json": .object(["schema": .object(["anyOf": .array([
                        .object(["type": .string("null")]), .object(["type": .string("array"), "maxItems": .int(0)]),
                    ])])]),
                    "text/plain": .object(["schema": .object(["type": .string("string"), "pattern": .string("^[ \\t\\r\\n]*$")])]),
                ]),
            ])
        }
        let arguments = JSONValue.object([
            "type": .string("array"), "prefixItems": .array(spec.args.map { valueSchema($0.type) }),
            "minItems": .int(spec.args.count), "maxItems": .int(spec.args.count),
        ])
        var forms = [arguments, object(required: ["args"], ["args": arguments], closed: true)]
        var content: [String: JSONValue] = [:]
        if spec.args.count == 1 {
            forms.append(valueSchema(spec.args[0].type))
            if let text = textSchema(spec.args[0].type) { content["text/plain"] = .object(["schema": text]) }
        }
        content["application/json"] = .object(["schema": .object(["anyOf": .array(forms)])])
        return .object(["required": .bool(true), "content": .object(content)])
    }

    // MARK: Building blocks

    /// An exception answer with `status`, by reference to ``responses``.
    static func exceptionResponse(_ status: Int) -> JSONValue {
        .object(["$ref": .string("#/components/responses/Status\(status)")])
    }

    /// Every status an operation may answer with an exception (docs/wire.md §2.6), described once.
    static let refusalStatuses = [400, 401, 403, 409, 413, 415, 422, 429, 503, 504]

    static var responses: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: refusalStatuses.map { status in
            ("Status\(status)", JSONValue.object(["description": .string(reason(status)), "content": jsonContent(reference("Exception"))]))
        })
    }

    static func jsonContent(_ schema: JSONValue) -> JSONValue {
        .object(["application/json": .object(["schema": schema])])
    }

    static func reference(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/components/schemas/" + name)])
    }

    static let string: JSONValue = .object(["type": .string("string")])

    static func constant(_ text: String) -> JSONValue {
        .object(["type": .string("string"), "const": .string(text)])
    }

    static func array(of items: JSONValue) -> JSONValue {
        .object(["type": .string("array"), "items": items])
    }

    static func object(required: [String], _ properties: [String: JSONValue], closed: Bool = false) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        if closed { schema["additionalProperties"] = .bool(false) }
        return .object(schema)
    }

    /// What each status means here (docs/wire.md §2.6).
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "The body or value does not parse, has the wrong type or the wrong number of arguments"
        case 401: "A token is needed (server.auth)"
        case 403: "The token's role may not do this, or the device is read-only"
        case 409: "The device refused the command, or an emergency stop is in force"
        case 413: "The body is over 64 KiB"
        case 415: "The Content-Type is neither text nor JSON"
        case 422: "The value is outside the resource's limits"
        case 429: "Too many failed authentications from this address"
        case 503: "The component is faulted or the hardware failed, the daemon is starting or stopping, or too many connections or watchers"
        case 504: "The device did not answer in time"
        default: "Refused"
        }
    }
}
