import IOToyCore

/// A request body, as the HTTP edge read it: raw text (no Content-Type, as the original
/// Python client sends, or text/plain), decoded JSON, or nothing.
public enum RequestInput: Sendable, Hashable {
    case empty
    case text(String)
    case json(JSONValue)

    /// The value to set on an attribute of `type`: `True`, `2.5`, `hello world` as text;
    /// a bare JSON value or `{"value": …}` as JSON.
    public func value(as type: ValueType) throws(IOToyError) -> Value {
        do {
            switch self {
            case .empty:
                throw IOToyError(.badRequest, code: "missing_value", message: "the request has no value")
            case .text(let text):
                return try Value(text: text, as: type)
            case .json(.object(let object)) where object.count == 1 && object["value"] != nil:
                return try Value(json: object["value"]!, as: type)
            case .json(.object(let object)) where type != .json:
                // `{"valu": 45}`: an object is only a value for a json attribute.
                let keys = object.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw IOToyError(
                    .badRequest, code: "bad_value",
                    message: "a JSON object body takes exactly one key, 'value' (or send the bare value); got \(keys.isEmpty ? "no keys" : keys)",
                    detail: "expected {\"value\": <\(type.rawValue)>}")
            case .json(let json):
                return try Value(json: json, as: type)
            }
        } catch let error as ValueConversionError {
            throw IOToyError(.badRequest, message: error.description, detail: "expected \(type.rawValue)")
        } catch let error as IOToyError {
            throw error
        } catch {
            throw IOToyError(.badRequest, message: "\(error)")
        }
    }

    /// The arguments for a function with `spec`: bare text for a single argument (or several
    /// separated by spaces, the last taking the rest of the line); JSON as a single value, an
    /// array of arguments, or `{"args": […]}`.
    public func arguments(for spec: FunctionSpec) throws(IOToyError) -> [Value] {
        let wanted = spec.args.count
        func countError(_ got: Int) -> IOToyError {
            let names = spec.args.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: " ")
            return IOToyError(
                .badRequest, code: "wrong_arguments",
                message: "expected \(wanted) argument\(wanted == 1 ? "" : "s")\(names.isEmpty ? "" : " (\(names))"), got \(got)")
        }
        do {
            switch self {
            case .empty:
                guard wanted == 0 else { throw countError(0) }
                return []
            case .text(let text):
                if wanted == 0 {
                    guard text.trimmingWhitespace().isEmpty else { throw countError(1) }
                    return []
                }
                let words: [String] = wanted == 1
                    ? [text]
                    : text.trimmingWhitespace().split(separator: " ", maxSplits: wanted - 1, omittingEmptySubsequences: true).map(String.init)
                guard words.count == wanted else { throw countError(words.count) }
                return try zip(words, spec.args).map { word, parameter in try Value(text: word, as: parameter.type) }
            case .json(let json):
                let list: [JSONValue] = switch json {
                case .array(let items): items
                case .object(let object) where object.keys.sorted() == ["args"]:
                    if case .array(let items) = object["args"]! { items } else { [object["args"]!] }
                case .object(let object) where !(wanted == 1 && spec.args[0].type == .json):
                    // `{"arg": 3}`: an object is only an argument for a json parameter.
                    throw IOToyError(
                        .badRequest, code: "wrong_arguments",
                        message: "a JSON object body takes one key, 'args' (a list of \(wanted) argument\(wanted == 1 ? "" : "s")), or send a bare list; got \(object.keys.sorted().map { "'\($0)'" }.joined(separator: ", "))")
                case .null where wanted == 0: []
                default: [json]
                }
                guard list.count == wanted else { throw countError(list.count) }
                return try zip(list, spec.args).map { item, parameter in try Value(json: item, as: parameter.type) }
            }
        } catch let error as ValueConversionError {
            throw IOToyError(.badRequest, message: error.description)
        } catch let error as IOToyError {
            throw error
        } catch {
            throw IOToyError(.badRequest, message: "\(error)")
        }
    }
}
