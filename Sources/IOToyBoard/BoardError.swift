/// One problem in a board file, at `file:line:column`, naming the key path.
public struct BoardError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    /// Where in the document: `resources.front_left_leg.lift.limits`.
    public let keyPath: String
    public let message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// A problem with the file as a whole (missing, a directory, unreadable): no position.
    public init(file: String, message: String) {
        self.init(file: file, line: 0, column: 0, keyPath: "", message: message)
    }

    /// `file:line:column: key.path: message`, or `file: message` for the file as a whole.
    public var description: String {
        let position = line == 0 ? file : "\(file):\(line):\(column)"
        return keyPath.isEmpty ? "\(position): \(message)" : "\(position): \(keyPath): \(message)"
    }
}

/// Every problem found in a board file: validation goes on after the first, so one run of
/// `iotoyd check` shows them all.
public struct BoardErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public let errors: [BoardError]

    public init(_ errors: [BoardError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
