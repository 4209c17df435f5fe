/// A pattern a text device's lines are matched against: a Swift `Regex` compiled once, from
/// the board file. It is searched for anywhere in the line (anchor it with `^…$` to match a
/// whole line); its named capture `value`, where it has one, is the value's text.
///
/// `@unchecked Sendable`: a compiled `Regex` is an immutable value that is only ever matched,
/// never changed, so sharing it between threads is safe; the standard library just does not
/// say so for `AnyRegexOutput`.
public struct SerialTextPattern: @unchecked Sendable, CustomStringConvertible {
    /// The capture that holds an attribute's value.
    public static let valueCapture = "value"

    /// The pattern as written in the board file.
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `source`; throws the compiler's complaint as a readable message.
    public init(_ source: String) throws(SerialTextPatternError) {
        self.source = source
        do {
            regex = try Regex(source)
        } catch {
            throw SerialTextPatternError(source: source, reason: "\(error)")
        }
    }

    /// Whether the pattern has the named capture `value`.
    public var capturesValue: Bool { regex.contains(captureNamed: SerialTextPattern.valueCapture) }

    /// Whether `line` matches anywhere.
    public func matches(_ line: String) -> Bool {
        (try? regex.firstMatch(in: line)) != nil
    }

    /// The text of the `value` capture when `line` matches; nil when it does not match. A
    /// match whose `value` group took no part is the empty string.
    public func capturedValue(in line: String) -> String? {
        guard let match = try? regex.firstMatch(in: line) else { return nil }
        return match.output[SerialTextPattern.valueCapture]?.substring.map(String.init) ?? ""
    }

    public var description: String { source }
}

/// A pattern that does not compile.
public struct SerialTextPatternError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let reason: String

    public var description: String { "'\(source)' is not a valid pattern: \(reason)" }
}
