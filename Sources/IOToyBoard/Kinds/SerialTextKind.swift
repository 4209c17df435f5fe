import IOToyCore
import IOToyDrivers
import IOToyHAL

/// `serial_text`: a device on a serial port that speaks its own line protocol, its
/// attributes mapped to query lines, patterns and line templates by the board file.
enum SerialTextKind {
    static let newlines: [(text: String, spelling: String)] = [("\r\n", #""\r\n""#), ("\n", #""\n""#), ("\r", #""\r""#)]

    static let kind = ComponentKind(
        name: "serial_text", summary: "a device speaking its own text lines on a serial port: attributes by query and pattern",
        keys: ["serial", "newline", "timeout_ms", "error", "attributes", "functions"]
    ) { map, context in
        guard let portField = map.required("serial", "the name of a serial entry under hardware"),
              let portName = portField.string() else { return nil }
        guard case .serial(let port, let baud)? = portField.hardwareEntry(portName, kinds: ["serial"], in: context) else { return nil }
        var configuration = SerialTextDevice.Configuration(port: port, baud: baud, attributes: [])
        var valid = true
        if let field = map.optional("newline") {
            if let text = field.string(), let newline = newlines.first(where: { $0.text == text }) {
                configuration.newline = newline.text
            } else {
                field.error("newline must be one of \(newlines.map(\.spelling).joined(separator: ", ")) (in double quotes)")
                valid = false
            }
        }
        if let field = map.optional("timeout_ms") {
            if let milliseconds = field.int(in: 10...600_000) { configuration.timeout = .milliseconds(milliseconds) } else { valid = false }
        }
        if let field = map.optional("error") {
            if let pattern = field.textPattern(needsValue: false) { configuration.errorPattern = pattern } else { valid = false }
        }
        if let field = map.optional("attributes") {
            if let attributes = field.mapping() {
                for name in attributes.keys {
                    guard let entry = attributes.optional(name) else { continue }
                    guard ResourcePath.isValidSegment(name) else {
                        attributes.keyField(name)?.error("'\(name)' is not a valid attribute name (a letter, then letters, digits or _)")
                        valid = false
                        continue
                    }
                    if let attribute = readAttribute(name, entry) { configuration.attributes.append(attribute) } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("functions") {
            if let functions = field.mapping() {
                for name in functions.keys {
                    guard let entry = functions.optional(name) else { continue }
                    guard ResourcePath.isValidSegment(name) else {
                        functions.keyField(name)?.error("'\(name)' is not a valid function name (a letter, then letters, digits or _)")
                        valid = false
                        continue
                    }
                    if configuration.attributes.contains(where: { $0.name == name }) {
                        functions.keyField(name)?.error("'\(name)' is already an attribute of this device")
                        valid = false
                        continue
                    }
                    if let function = readFunction(name, entry) { configuration.functions.append(function) } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        if configuration.attributes.isEmpty, configuration.functions.isEmpty {
            map.field.error("a serial_text device needs 'attributes' or 'functions' (or both)")
            return nil
        }
        let frozen = configuration
        let model = SimulatedSerialModel(name: "serial_text \(port)") { SerialTextKind.simulatedDevice(frozen) }
        return ComponentPlan(
            claims: [portField.claim(.serialPort(entry: portName))], owner: .serialPort(portName),
            help: "Text device on \(port)", simulated: [.serialPeer(port: port, model: model)]
        ) { build, _ in
            SerialTextDevice(frozen, provider: build.platform.serial, logger: build.logger)
        }
    }

    /// A function: `{ send: LINE, expect: PATTERN, help: TEXT }`.
    static func readFunction(_ name: String, _ field: Field) -> SerialTextFunction? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish(known: ["send", "expect", "help"]) }
        var valid = true
        let line = map.required("send", "the line sent to the device")?.sentLine()
        var function = SerialTextFunction(name: name, help: "Sends '\(line ?? "")'", line: line ?? "")
        if line == nil { valid = false }
        if let expect = map.optional("expect") {
            if let pattern = expect.textPattern(needsValue: false) { function.expect = pattern } else { valid = false }
        }
        if let help = map.optional("help") {
            if let text = help.string() { function.help = text } else { valid = false }
        }
        return valid ? function : nil
    }
}

extension Field {
    /// A pattern (Swift regex syntax), compiled now; with `needsValue`, it must have the named
    /// capture `(?<value>…)`.
    func textPattern(needsValue: Bool) -> SerialTextPattern? {
        guard let text = string() else { return nil }
        let pattern: SerialTextPattern
        do {
            pattern = try SerialTextPattern(text)
        } catch {
            self.error(error.description)
            return nil
        }
        if needsValue, !pattern.capturesValue {
            self.error("'\(text)' has no named capture (?<value>…) for the value")
            return nil
        }
        return pattern
    }

    /// Text sent as one line: no line breaks (the board's `newline` ends it).
    func sentLine() -> String? {
        guard let text = string() else { return nil }
        guard !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            error("a line sent to the device cannot contain a line break (newline ends every line)")
            return nil
        }
        return text
    }
}
