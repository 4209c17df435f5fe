import IOToyCore

/// What `help <name>` says about an attribute: `<type> - <description>`.
public struct AttributeHelp: Sendable, Hashable {
    public let type: ValueType
    public let text: String

    /// Parses the data of a help reply; nil when it does not start with a known type.
    public init?(_ line: String) {
        let (head, text) = splitDescription(line)
        let words = head.split(separator: " ")
        guard words.count == 1, let type = ValueType(serialName: String(words[0])) else { return nil }
        self.type = type
        self.text = text
    }
}

/// What `help <name>` says about a function: `<name> [arg:type …] -> [result:type] - <description>`.
/// Any number of arguments (the original host could parse only one).
public struct FunctionHelp: Sendable, Hashable {
    public let name: String
    public let spec: FunctionSpec
    public let text: String

    /// Parses the data of a help reply; nil when it is not a function spec.
    public init?(_ line: String) {
        let (head, text) = splitDescription(line)
        let words = head.split(separator: " ").map(String.init)
        guard let arrow = words.firstIndex(of: "->"), arrow >= 1 else { return nil }
        guard let args = FunctionHelp.parameters(words[1..<arrow]),
              let result = FunctionHelp.parameters(words[(arrow + 1)...]), result.count <= 1 else { return nil }
        name = words[0]
        spec = FunctionSpec(args: args, result: result)
        self.text = text
    }

    private static func parameters(_ words: ArraySlice<String>) -> [Parameter]? {
        var parameters: [Parameter] = []
        for word in words {
            let pair = word.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, let type = ValueType(serialName: String(pair[1])) else { return nil }
            parameters.append(Parameter(String(pair[0]), type))
        }
        return parameters
    }
}

/// Splits `head - description` at the first ` - ` (or a trailing ` -`).
private func splitDescription(_ line: String) -> (head: String, text: String) {
    if let range = line.firstRange(of: " - ") {
        return (String(line[..<range.lowerBound]), String(line[range.upperBound...]))
    }
    if line.hasSuffix(" -") { return (String(line.dropLast(2)), "") }
    return (line, "")
}

extension ValueType {
    /// A serial-wire type name: `int`, `float`, `str`, `bool`, and `T` (any) and `str*`
    /// (lists, built-ins only), both served as `str`.
    public init?(serialName: String) {
        switch serialName {
        case "str*": self = .str
        case "json": return nil
        default: self.init(wireName: serialName)
        }
    }
}
