import IOToyCore
import IOToyDrivers
import IOToySim
import Synchronization

extension SerialTextKind {
    /// The device `--simulate` puts on the port, made from the board entry itself: it holds a
    /// value per attribute (0 within the limits, false, the map's first value, or `sim`),
    /// answers each query with a line made from the read pattern, takes each written line
    /// and acknowledges it with a line made from `expect`, acknowledges functions, and
    /// greets with one line per attribute without a query. A line it cannot make from a
    /// pattern (alternations or classes outside the `value` group) is not sent, so that
    /// request times out (504) under `--simulate`. Anything else is answered with a line
    /// made from `error`, if there is one.
    static func simulatedDevice(_ configuration: SerialTextDevice.Configuration) -> SimTextDevice {
        let values = SimulatedValues(configuration.attributes)
        let device = SimTextDevice(id: "serial_text") { line in values.answer(line, configuration) }
        device.lineEnding = configuration.newline == "\r" ? "\r" : "\r\n"
        device.greeting = configuration.attributes.filter { $0.read.query == nil }.compactMap { attribute in
            values.text(of: attribute).flatMap { exampleLine(attribute.read.pattern, value: $0) }
        }
        return device
    }

    /// A line that `pattern` matches with `value` as its `value` capture (or at all, when it
    /// has none), read off the pattern's own text; nil when the pattern is more than literal
    /// text around one group.
    static func exampleLine(_ pattern: SerialTextPattern, value: String) -> String? {
        var characters = Array(pattern.source)
        if characters.first == "^" { characters.removeFirst() }
        if characters.last == "$", characters.dropLast().last != "\\" { characters.removeLast() }
        var line = "", index = 0
        let group = Array("(?<\(SerialTextPattern.valueCapture)>")
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                guard index + 1 < characters.count, !characters[index + 1].isLetter, !characters[index + 1].isNumber else { return nil }
                line.append(characters[index + 1])
                index += 2
            } else if characters[index...].starts(with: group) {
                guard let end = groupEnd(characters, from: index + group.count) else { return nil }
                line += value
                index = end + 1
            } else if "[]()|*+?{}^$".contains(character) {
                return nil
            } else {
                line.append(character)
                index += 1
            }
        }
        let matches = pattern.capturesValue ? pattern.capturedValue(in: line) == value : pattern.matches(line)
        return matches ? line : nil
    }

    /// The index of the `)` closing a group whose body starts at `start`.
    private static func groupEnd(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0, index = start, inClass = false
        while index < characters.count {
            switch characters[index] {
            case "\\": index += 1
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass:
                if depth == 0 { return index }
                depth -= 1
            default: break
            }
            index += 1
        }
        return nil
    }
}

/// The simulated device's attribute values, changed by the lines written to it.
private final class SimulatedValues: Sendable {
    private let values: Mutex<[String: Value]>
    private let attributes: [SerialTextAttribute]

    init(_ attributes: [SerialTextAttribute]) {
        self.attributes = attributes
        var initial: [String: Value] = [:]
        for attribute in attributes { initial[attribute.name] = SimulatedValues.initial(attribute) }
        values = Mutex(initial)
    }

    static func initial(_ attribute: SerialTextAttribute) -> Value {
        if let first = attribute.map.first { return first.value }
        let zero = min(max(0, attribute.constraints?.min ?? 0), attribute.constraints?.max ?? 0)
        switch attribute.type {
        case .int: return .int(Int(zero.rounded(.up)))
        case .float: return .float(zero)
        case .bool: return .bool(false)
        default: return .str("sim")
        }
    }

    func text(of attribute: SerialTextAttribute) -> String? {
        guard let value = values.withLock({ $0[attribute.name] }) else { return nil }
        return try? attribute.deviceText(for: value)
    }

    func answer(_ line: String, _ configuration: SerialTextDevice.Configuration) -> [String] {
        var answers: [String] = []
        var understood = false
        for attribute in attributes {
            if attribute.read.query == line {
                understood = true
                if let text = text(of: attribute), let answer = SerialTextKind.exampleLine(attribute.read.pattern, value: text) {
                    answers.append(answer)
                }
            }
            guard let write = attribute.write, let text = SimulatedValues.value(in: line, template: write.template) else { continue }
            guard let value = attribute.value(fromDeviceText: text) else { continue }
            understood = true
            values.withLock { $0[attribute.name] = value }
            if let expect = write.expect, let answer = SerialTextKind.exampleLine(expect, value: "") { answers.append(answer) }
        }
        for function in configuration.functions where function.line == line {
            understood = true
            if let expect = function.expect, let answer = SerialTextKind.exampleLine(expect, value: "") { answers.append(answer) }
        }
        if !understood, let error = configuration.errorPattern, let answer = SerialTextKind.exampleLine(error, value: "") {
            answers.append(answer)
        }
        return answers
    }

    /// The text where `{value}` stands in `template`, when `line` is the template filled in.
    static func value(in line: String, template: String) -> String? {
        guard let placeholder = template.firstRange(of: SerialTextAttribute.Write.placeholder) else { return nil }
        let prefix = template[..<placeholder.lowerBound], suffix = template[placeholder.upperBound...]
        guard line.count >= prefix.count + suffix.count, line.hasPrefix(prefix), line.hasSuffix(suffix) else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(suffix.count))
    }
}
