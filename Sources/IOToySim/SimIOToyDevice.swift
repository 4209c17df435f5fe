import IOToyCore
import Synchronization

/// A simulated IOTOY microcontroller: it answers the serial protocol as the project's
/// firmware does (`docs/wire.md` §1) from a table of attributes and functions.
///
/// It is the other side of the wire, written independently of the host's codec, so tests of
/// the host meet a device rather than their own parser.
public final class SimIOToyDevice: Sendable {
    /// An attribute: a declaration `name:type - help`, a value, optional limits.
    public struct Attribute: Sendable {
        public let name: String
        public let type: String
        public let help: String
        public let range: ClosedRange<Double>?

        public init(_ declaration: String, range: ClosedRange<Double>? = nil) {
            let (head, help) = SimIOToyDevice.splitHelp(declaration)
            let pair = head.split(separator: ":", maxSplits: 1).map(String.init)
            name = pair[0]
            type = pair.count > 1 ? pair[1] : "str"
            self.help = help
            self.range = range
        }
    }

    /// What a function handler answers.
    public enum Answer: Sendable, Equatable {
        case result(String)
        case none
        case badValue
    }

    /// A function: a declaration `name [arg:type …] -> [result:type] - help`, a handler taking
    /// the arguments as the device parsed them, and how long the device takes to answer.
    public struct Function: Sendable {
        public let name: String
        public let argumentTypes: [String]
        public let declaration: String
        let handler: @Sendable (SimIOToyDevice, [String]) -> Answer
        let duration: @Sendable ([String]) -> Duration

        public init(
            _ declaration: String, duration: @escaping @Sendable ([String]) -> Duration = { _ in .zero },
            handler: @escaping @Sendable ([String]) -> Answer
        ) {
            self.init(declaration, duration: duration, acting: { _, arguments in handler(arguments) })
        }

        /// A function whose handler also changes the device's attributes.
        public init(
            _ declaration: String, duration: @escaping @Sendable ([String]) -> Duration = { _ in .zero },
            acting handler: @escaping @Sendable (SimIOToyDevice, [String]) -> Answer
        ) {
            let (head, _) = SimIOToyDevice.splitHelp(declaration)
            let words = head.split(separator: " ").map(String.init)
            name = words[0]
            let arrow = words.firstIndex(of: "->") ?? words.count
            argumentTypes = words[1..<arrow].map { String($0.split(separator: ":").last ?? "str") }
            self.declaration = declaration
            self.handler = handler
            self.duration = duration
        }
    }

    /// One reply line and the time the device takes before sending it.
    public struct Reply: Sendable, Equatable {
        public let line: String
        public let after: Duration
    }

    public let id: String
    public let attributes: [Attribute]
    public let functions: [Function]
    /// Whether the ready line is printed on (re)start; boards that do not reset on open print nothing.
    public let printsReadyLine: Bool
    private let values: Mutex<[String: String]>
    /// Every line the device received, for tests.
    private let received = Mutex<[String]>([])

    /// The line buffer of the firmware: lines of this many bytes or more are refused.
    public static let lineBufferBytes = 140
    static let builtins = ["ping", "devinfo", "funcs", "attrs", "set", "get", "help"]

    /// Whether `help <name>` answers (some devices omit help: the host must cope).
    public let answersHelp: Bool
    /// A debug line the sketch prints before every reply (the host must skip it).
    public let chatter: String?

    public init(
        id: String, attributes: [Attribute], initialValues: [String: String] = [:], functions: [Function],
        printsReadyLine: Bool = true, answersHelp: Bool = true, chatter: String? = nil
    ) {
        self.answersHelp = answersHelp
        self.chatter = chatter
        self.id = id
        self.attributes = attributes
        self.functions = functions
        self.printsReadyLine = printsReadyLine
        var values: [String: String] = [:]
        for attribute in attributes {
            values[attribute.name] = initialValues[attribute.name] ?? SimIOToyDevice.zero(of: attribute.type)
        }
        self.values = Mutex(values)
    }

    /// The ready line printed when the sketch starts.
    public var readyLine: String { "200:DEV READY:\(id)" }

    /// The lines received so far.
    public var receivedLines: [String] { received.withLock { $0 } }

    /// The raw value of an attribute as the device holds it.
    public func value(of attribute: String) -> String? { values.withLock { $0[attribute] } }

    /// Sets an attribute's raw value, as the sketch itself would.
    public func setValue(_ text: String, of attribute: String) { values.withLock { $0[attribute] = text } }

    /// Answers one command line (without its terminator).
    public func handle(_ line: String) -> Reply {
        received.withLock { $0.append(line) }
        if line.utf8.count >= SimIOToyDevice.lineBufferBytes { return Reply(line: "400:Line too long:-", after: .zero) }
        let (command, rest) = SimIOToyDevice.splitCommand(line)
        switch (command, rest) {
        case ("ping", nil): return reply("200:OK:pong")
        case ("devinfo", nil): return reply(readyLine)
        case ("funcs", nil): return reply("200:FUNCS OK:" + (SimIOToyDevice.builtins + functions.map(\.name)).joined(separator: ","))
        case ("attrs", nil): return reply("200:ATTRS OK:" + attributes.map { "\($0.name):\($0.type)" }.joined(separator: ","))
        case ("help", nil): return reply("200:Help found:help -> helptext:str - try 'help help', 'funcs' and 'attrs'")
        case ("help", let name?): return reply(help(for: name.trimmingTrailingSpaces))
        case ("get", let name?): return reply(get(name.trimmingTrailingSpaces))
        case ("get", nil), ("set", nil): return reply("400:Fail:Usage: \(command) <attr>")
        case ("set", let rest?): return reply(set(rest))
        default:
            guard let function = functions.first(where: { $0.name == command }) else { return reply("404:\(command) Not Found:-") }
            guard let arguments = parseArguments(rest ?? "", types: function.argumentTypes) else { return reply("500:Bad Value:-") }
            let answer = function.handler(self, arguments)
            let line = switch answer {
            case .result(let text): "200:Success:\(text)"
            case .none: "200:Success:-"
            case .badValue: "500:Bad Value:-"
            }
            return Reply(line: line, after: function.duration(arguments))
        }
    }

    private func reply(_ line: String) -> Reply { Reply(line: line, after: .zero) }

    private func help(for name: String) -> String {
        guard answersHelp else { return "404:No help found:\(name)" }
        if let attribute = attributes.first(where: { $0.name == name }) { return "200:Help found:\(attribute.type) - \(attribute.help)" }
        if let function = functions.first(where: { $0.name == name }) { return "200:Help found:\(function.declaration)" }
        return "404:No help found:\(name)"
    }

    private func get(_ name: String) -> String {
        guard let value = values.withLock({ $0[name] }) else { return "404:Attribute Not Found:-" }
        return "200:Found:\(value)"
    }

    private func set(_ rest: String) -> String {
        guard let space = rest.firstIndex(of: " ") else { return "400:Fail:Usage: set <attr> <value>" }
        let name = String(rest[..<space]), text = String(rest[rest.index(after: space)...])
        guard let attribute = attributes.first(where: { $0.name == name }) else { return "404:Attribute Not Found:-" }
        guard let stored = SimIOToyDevice.parse(text, type: attribute.type),
              attribute.range.map({ range in Double(stored).map(range.contains) ?? false }) ?? true else { return "500:Bad Value:-" }
        values.withLock { $0[name] = stored }
        return "200:Success:-"
    }

    /// Space-separated arguments by type; a last `str` takes the rest of the line.
    private func parseArguments(_ text: String, types: [String]) -> [String]? {
        if types.isEmpty { return text.isEmpty ? [] : [text] }
        var remaining = Substring(text), arguments: [String] = []
        for (index, type) in types.enumerated() {
            let word: Substring
            if index == types.count - 1 {
                word = remaining
            } else {
                guard let space = remaining.firstIndex(of: " ") else { return nil }
                word = remaining[..<space]
                remaining = remaining[remaining.index(after: space)...]
            }
            guard let parsed = SimIOToyDevice.parse(String(word), type: type) else { return nil }
            arguments.append(parsed)
        }
        return arguments
    }

    /// The device's own parsing: ints and floats as C would, bools by the spec's spellings
    /// (read back as `True`/`False`), strings raw.
    static func parse(_ text: String, type: String) -> String? {
        switch type {
        case "int": return Int32(text).map { String($0) }
        case "float": return Double(text).flatMap { $0.isFinite ? String($0) : nil }
        case "bool":
            if ["True", "true", "1", "t", "T"].contains(text) { return "True" }
            if ["False", "false", "0", "f", "F"].contains(text) { return "False" }
            return nil
        default: return text
        }
    }

    static func zero(of type: String) -> String {
        switch type {
        case "int": "0"
        case "float": "0.0"
        case "bool": "False"
        default: ""
        }
    }

    static func splitCommand(_ line: String) -> (String, String?) {
        guard let space = line.firstIndex(of: " ") else { return (line, nil) }
        return (String(line[..<space]), String(line[line.index(after: space)...]))
    }

    static func splitHelp(_ declaration: String) -> (String, String) {
        guard let range = declaration.firstRange(of: " - ") else { return (declaration, "") }
        return (String(declaration[..<range.lowerBound]), String(declaration[range.upperBound...]))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
