import IOToyCore

/// One command line for a device, checked before anything is sent: names are identifiers,
/// no part holds a line break, and the whole line fits the device's 140-byte buffer (the
/// original firmware wedges on a line of 140 bytes or more).
public struct SerialCommand: Sendable, Hashable, CustomStringConvertible {
    /// The line without its terminator.
    public let line: String

    /// The longest line (without LF) a device accepts.
    public static let maximumLineBytes = 139

    /// The seven commands every device has.
    public static let builtinNames: Set<String> = ["ping", "devinfo", "funcs", "attrs", "set", "get", "help"]

    private init(checked line: String) throws(SerialCommandError) {
        let count = line.utf8.count
        guard count <= SerialCommand.maximumLineBytes else {
            throw .tooLong(bytes: count, limit: SerialCommand.maximumLineBytes)
        }
        self.line = line
    }

    /// `ping` → `200:OK:pong`.
    public static let ping = try! builtin("ping")
    /// `devinfo` → the ready line.
    public static let devinfo = try! builtin("devinfo")
    /// `funcs` → the function names, built-ins first.
    public static let funcs = try! builtin("funcs")
    /// `attrs` → `name:type,…`.
    public static let attrs = try! builtin("attrs")

    /// A built-in by name (`ping`, `devinfo`, `funcs`, `attrs`, `help`; `get` and `set` alone are usage errors on the device).
    public static func builtin(_ name: String) throws(SerialCommandError) -> SerialCommand {
        guard builtinNames.contains(name) else { throw .invalidName(name) }
        return try SerialCommand(checked: name)
    }

    /// `get <attr>`.
    public static func get(_ attribute: String) throws(SerialCommandError) -> SerialCommand {
        try SerialCommand(checked: "get \(checkName(attribute))")
    }

    /// `set <attr> <value>`; the value is the rest of the line (it may be empty or hold spaces).
    public static func set(_ attribute: String, _ value: Value) throws(SerialCommandError) -> SerialCommand {
        try SerialCommand(checked: "set \(checkName(attribute)) \(checkText(SerialValueFormat.text(value)))")
    }

    /// `help <name>`.
    public static func help(_ name: String) throws(SerialCommandError) -> SerialCommand {
        try SerialCommand(checked: "help \(checkName(name))")
    }

    /// `<func>` or `<func> <arg> <arg>…`. Arguments are separated by single spaces, so only
    /// the last may hold spaces or be empty (the device reads a last `str` to the end of line).
    public static func call(_ function: String, arguments: [Value]) throws(SerialCommandError) -> SerialCommand {
        var line = try checkName(function)
        for (index, argument) in arguments.enumerated() {
            let text = try checkText(SerialValueFormat.text(argument))
            let isLast = index == arguments.count - 1
            if !isLast, text.isEmpty || text.contains(" ") {
                throw .ambiguousArgument(position: index + 1, text: text)
            }
            line += " " + text
        }
        return try SerialCommand(checked: line)
    }

    /// The bytes to write: the line and a single LF (never CR: the original firmware would
    /// keep it as part of the command).
    public var bytes: [UInt8] { Array(line.utf8) + [UInt8(ascii: "\n")] }

    public var description: String { line }

    private static func checkName(_ name: String) throws(SerialCommandError) -> String {
        guard let first = name.unicodeScalars.first, first.isASCIILetter,
              name.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }) else {
            throw .invalidName(name)
        }
        return name
    }

    private static func checkText(_ text: String) throws(SerialCommandError) -> String {
        guard !text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw .lineBreak
        }
        return text
    }
}

/// Why a command was refused before sending.
public enum SerialCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLong(bytes: Int, limit: Int)
    case invalidName(String)
    case lineBreak
    case ambiguousArgument(position: Int, text: String)

    public var description: String {
        switch self {
        case .tooLong(let bytes, let limit):
            "the command would be \(bytes) bytes; the device reads at most \(limit)"
        case .invalidName(let name):
            "'\(name)' is not a device attribute or function name"
        case .lineBreak:
            "values sent to the device cannot contain line breaks or NUL"
        case .ambiguousArgument(let position, let text):
            "argument \(position) ('\(text)') is empty or holds a space; only the last argument may"
        }
    }
}
