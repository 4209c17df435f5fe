import Foundation
import IOToyCore
import IOToyDispatcher
import Yams

/// Reads and validates board files against a ``ComponentRegistry``. Every problem is
/// reported with file, line, column and key path; a file with any problem yields no board.
public struct BoardLoader: Sendable {
    public let registry: ComponentRegistry

    public init(registry: ComponentRegistry) {
        self.registry = registry
    }

    /// Where `GET /metrics` answers when `server.metrics` is on: no resource may be there.
    static let metricsPath = try! ResourcePath(["metrics"])

    static let topLevelKeys = ["device", "help", "simulate", "server", "mqtt", "hardware", "resources"]

    /// Reads the board file at `path`.
    public func load(path: String) throws(BoardErrors) -> Board {
        let text: String
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BoardErrors([BoardError(file: path, message: "no such file")])
        }
        guard !isDirectory.boolValue else {
            throw BoardErrors([BoardError(file: path, message: "is a directory, not a board file")])
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw BoardErrors([BoardError(file: path, message: "permission denied (the file is not readable by this user)")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BoardErrors([BoardError(file: path, message: "cannot be read")])
        }
        guard let decoded = String(data: data, encoding: .utf8) else {
            throw BoardErrors([BoardError(file: path, message: "is not UTF-8 text")])
        }
        text = decoded
        return try parse(yaml: text, file: path)
    }

    /// Validates board-file text; `file` names it in errors.
    public func parse(yaml: String, file: String) throws(BoardErrors) -> Board {
        let sink = ErrorSink(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw BoardErrors([BoardError(file: file, line: 1, column: 1, keyPath: "", message: "the file is empty")])
            }
            root = node
        } catch let error as BoardErrors {
            throw error
        } catch {
            throw BoardErrors([BoardLoader.yamlError(error, text: yaml, file: file)])
        }
        guard let top = Field(node: root, keyPath: [], report: sink).mapping() else { throw BoardErrors(sink.errors) }

        let device = top.required("device", "the device id, [a-zA-Z][a-zA-Z0-9_]*").flatMap { field -> String? in
            guard let id = field.string() else { return nil }
            guard ResourcePath.isValidSegment(id) else {
                field.error("'\(id)' is not a valid IOTOY device id: a letter, then letters, digits or '_' (it becomes the mDNS name), at most 63")
                return nil
            }
            return id
        }
        let help = top.optional("help")?.string() ?? device.map { "\($0) (iotoyd)" } ?? ""
        let server = readServer(top.optional("server"))
        let simulate = top.optional("simulate")?.bool() ?? false
        let mqtt = readMQTT(top.optional("mqtt"))
        let (hardware, failedHardware) = readHardware(top.optional("hardware"))
        let context = BoardContext(
            hardware: Dictionary(hardware.map { ($0.name, $0.spec) }, uniquingKeysWith: { a, _ in a }),
            failedHardware: failedHardware, device: device ?? "")
        var directories: [(ResourcePath, String)] = []
        var components: [Board.PlannedComponent] = []
        var order: [ResourcePath] = []
        if let resources = top.required("resources", "the resource tree") {
            readDirectory(resources, at: .root, context: context, directories: &directories, components: &components, order: &order)
        }
        if server.metrics, order.contains(BoardLoader.metricsPath),
           let resources = top.optional("resources")?.mapping(), let key = resources.keyField("metrics") {
            key.error("'metrics' is where GET /metrics serves the daemon's Prometheus metrics: rename this resource, or turn them off with server.metrics: false")
        }
        top.finish(known: BoardLoader.topLevelKeys)
        checkClaims(components, hardware: hardware, field: top.optional("hardware"), sink: sink)
        guard sink.errors.isEmpty, let device else { throw BoardErrors(sink.errors) }
        var board = Board(
            device: device, help: help, server: server, hardware: hardware,
            directories: directories, components: components, order: order, file: file, warnings: sink.warnings)
        board.simulate = simulate
        board.mqtt = mqtt
        return board
    }

    func readServer(_ field: Field?) -> Board.Server {
        var server = Board.Server()
        guard let field, let map = field.mapping() else { return server }
        if let port = map.optional("port")?.int(in: 1...65535) { server.port = port }
        if let bind = map.optional("bind")?.string() { server.bind = bind }
        if let milliseconds = map.optional("head_timeout_ms")?.int(in: 100...600_000) { server.headTimeout = .milliseconds(milliseconds) }
        if let milliseconds = map.optional("idle_timeout_ms")?.int(in: 100...3_600_000) { server.idleTimeout = .milliseconds(milliseconds) }
        if let count = map.optional("max_watchers")?.int(in: 0...10_000) { server.maximumWatchers = count }
        if let value = map.optional("read_only")?.bool() { server.readOnly = value }
        if let count = map.optional("max_connections")?.int(in: 1...100_000) { server.maximumConnections = count }
        if let value = map.optional("metrics")?.bool() { server.metrics = value }
        if let field = map.optional("auth"), let auth = field.mapping() {
            var access = Board.Server.Access()
            if let path = auth.optional("tokens_file")?.string() {
                if path.hasPrefix("/") { access.tokensFile = path } else { auth.optional("tokens_file")?.error("'\(path)' is not an absolute path") }
            }
            if let list = auth.optional("trusted") {
                if let items = list.node.sequence.map(Array.init) {
                    access.trusted = []
                    for (index, item) in items.enumerated() {
                        let itemField = Field(node: item, keyPath: list.keyPath + ["\(index)"], report: list.report)
                        guard let text = itemField.string() else { continue }
                        do { access.trusted.append(try IPNetwork(parsing: text)) } catch { itemField.error("\(error)") }
                    }
                } else {
                    list.error("expected a list of networks, e.g. [127.0.0.0/8, \"::1/128\", 192.168.1.0/24]")
                }
            }
            if let field = auth.optional("anonymous"), let text = field.string() {
                switch text {
                case "none": access.anonymous = nil
                case "read": access.anonymous = .read
                default: field.error("'\(text)' is not one of none, read (what clients without a token may do)")
                }
            }
            auth.finish(known: ["tokens_file", "trusted", "anonymous"])
            server.access = access
        }
        map.finish(known: ["port", "bind", "head_timeout_ms", "idle_timeout_ms", "max_watchers", "max_connections", "read_only", "metrics", "auth"])
        return server
    }

    /// The `hardware:` entries that are valid, and the names of those that are declared but
    /// had errors of their own (already reported), so references to them stay silent.
    func readHardware(_ field: Field?) -> (entries: [(name: String, spec: HardwareSpec)], failed: Set<String>) {
        guard let field, let map = field.mapping() else { return ([], []) }
        var result: [(name: String, spec: HardwareSpec)] = []
        var failed: Set<String> = []
        var i2cBuses: [String: Int] = [:]
        var declaredI2C: Set<String> = []
        // I2C buses first, so a PCA9685 may name a bus declared after it.
        for key in map.keys {
            guard let entryMap = map.entries.first(where: { $0.key == key })?.value.mapping,
                  entryMap["kind"]?.scalar?.string == "i2c" else { continue }
            declaredI2C.insert(key)
            guard let busNode = entryMap["bus"], let bus = Int(busNode.scalar?.string ?? "") else { continue }
            i2cBuses[key] = bus
        }
        for key in map.keys {
            guard let entry = map.optional(key) else { continue }
            guard ResourcePath.isValidSegment(key) else {
                map.keyField(key)?.error("'\(key)' is not a valid hardware name: a letter, then letters, digits or '_'")
                failed.insert(key)
                continue
            }
            guard let entryMap = entry.mapping(),
                  let spec = HardwareSpec.read(entryMap, i2cBuses: i2cBuses, declaredI2C: declaredI2C) else {
                failed.insert(key)
                continue
            }
            if let twin = result.first(where: { $0.spec.identity == spec.identity }) {
                entry.error("describes the same \(spec.kind) as '\(twin.name)'")
                failed.insert(key)
                continue
            }
            if case .gpiochip(let chip, _) = spec, spec.knownLineNames == nil {
                entry.warning("line names on '\(chip)' are not checked before the chip is opened (not a chip iotoyd knows; list them with lines: [...] to check them)")
            }
            result.append((key, spec))
        }
        return (result, failed)
    }

    func readDirectory(
        _ field: Field, at path: ResourcePath, context: BoardContext,
        directories: inout [(ResourcePath, String)], components: inout [Board.PlannedComponent], order: inout [ResourcePath]
    ) {
        guard let map = field.mapping() else { return }
        if path != .root {
            directories.append((path, map.optional("help")?.string() ?? ""))
            order.append(path)
        }
        for key in map.keys where key != "help" || path == .root {
            guard let child = map.optional(key) else { continue }
            let childPath: ResourcePath
            do {
                childPath = try path.appending(key)
            } catch {
                map.keyField(key)?.error("'\(key)' is not a valid resource name: a letter, then letters, digits or '_', at most 64")
                continue
            }
            if path == .root, key == ResourceTree.deviceInfoName {
                map.keyField(key)?.error("'devinfo' is reserved for the device description")
                continue
            }
            guard let childMap = child.node.mapping else {
                child.error("expected a component (a mapping with 'kind') or a directory (a mapping of resources)")
                continue
            }
            if childMap["kind"] != nil {
                readComponent(child, at: childPath, context: context, components: &components)
                order.append(childPath)
            } else {
                readDirectory(child, at: childPath, context: context, directories: &directories, components: &components, order: &order)
            }
        }
    }

    func readComponent(_ field: Field, at path: ResourcePath, context: BoardContext, components: inout [Board.PlannedComponent]) {
        guard let map = field.mapping(), let kindField = map.optional("kind"), let kindName = kindField.string() else { return }
        guard let kind = registry.kinds[kindName] else {
            kindField.error("unknown component kind '\(kindName)'; known: \(registry.names.joined(separator: ", "))")
            return
        }
        let help = map.optional("help")?.string()
        let plan = kind.read(map, context)
        map.finish(known: ["kind", "help"] + kind.keys)
        guard let plan else { return }
        var planned = plan
        if let help {
            planned = ComponentPlan(
                claims: plan.claims, owner: plan.owner, help: help, simulated: plan.simulated, failsafe: plan.failsafe, build: plan.build)
        }
        let fingerprint = ComponentFingerprint.of(field.node, kind: kindName, hardware: context.hardware)
        components.append(Board.PlannedComponent(path: path, kind: kindName, plan: planned, fingerprint: fingerprint))
    }

    /// Two components may not hold one line, address, channel or port; nor may a component
    /// sit on an I2C address a chip under `hardware` already uses.
    func checkClaims(_ components: [Board.PlannedComponent], hardware: [(name: String, spec: HardwareSpec)], field: Field?, sink: ErrorSink) {
        var holders: [HardwareClaim: (holder: String, line: Int)] = [:]
        if let map = field?.node.mapping {
            for (name, spec) in hardware {
                guard case .pca9685(_, let bus, let address, _) = spec, let node = map[name] else { continue }
                holders[.i2cAddress(bus: bus, address: Int(address))] = ("hardware.\(name)", node.mark?.line ?? 0)
            }
        }
        for component in components {
            for claim in component.plan.claims {
                if let holder = holders[claim.resource] {
                    sink.add(BoardError(
                        file: sink.file, line: claim.line, column: claim.column, keyPath: claim.keyPath,
                        message: "\(claim.resource) is already used by \(holder.holder) (line \(holder.line))"))
                } else {
                    holders[claim.resource] = ("\(component.path)", claim.line)
                }
            }
        }
    }

    static func yamlError(_ error: any Error, text: String, file: String) -> BoardError {
        if let error = error as? YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                if character(in: text, line: mark.line, column: mark.column) == "\t" {
                    return BoardError(
                        file: file, line: mark.line, column: mark.column, keyPath: "",
                        message: "YAML forbids tabs for indentation; indent with spaces")
                }
                return BoardError(file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let first = context.mark
                let key = duplicates.first ?? ""
                let second = secondOccurrence(of: key, in: text, after: first) ?? (first.line, first.column)
                return BoardError(
                    file: file, line: second.line, column: second.column, keyPath: "",
                    message: "duplicate key '\(key)' (first at line \(first.line), column \(first.column))")
            default:
                break
            }
        }
        return BoardError(file: file, line: 1, column: 1, keyPath: "", message: "YAML: \(error)")
    }

    /// The character at a 1-based line and column of `text`.
    static func character(in text: String, line: Int, column: Int) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let characters = Array(lines[line - 1].unicodeScalars)
        guard column >= 1, column <= characters.count else { return nil }
        return Character(characters[column - 1])
    }

    /// Where `key` occurs again as a mapping key after its first occurrence at `first`
    /// (Yams reports only the first): in a block mapping at the same column on a later line,
    /// in a flow mapping later on the same line.
    static func secondOccurrence(of key: String, in text: String, after first: Mark) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let keyScalars = Array(key.unicodeScalars)
        func isKey(at line: Int, _ column: Int) -> Bool {
            let characters = lines[line - 1]
            let start = column - 1
            guard start >= 0, start + keyScalars.count <= characters.count,
                  Array(characters[start..<start + keyScalars.count]) == keyScalars else { return false }
            if start > 0, !" \t{,".unicodeScalars.contains(characters[start - 1]) { return false }
            let rest = characters[(start + keyScalars.count)...].drop { $0 == " " || $0 == "\t" }
            return rest.first == ":"
        }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for column in stride(from: first.column + keyScalars.count, through: lines[first.line - 1].count, by: 1)
        where isKey(at: first.line, column) {
            return (first.line, column)
        }
        for line in (first.line + 1)..<(lines.count + 1) where isKey(at: line, first.column) {
            return (line, first.column)
        }
        return nil
    }
}

extension HardwareSpec {
    /// What two entries may not both describe.
    var identity: String {
        switch self {
        case .gpiochip(let chip, _): "gpiochip \(chip)"
        case .i2c(let bus): "i2c-\(bus)"
        case .pwmchip(let chip, _): "pwm \(chip)"
        case .pca9685(_, let bus, let address, _): "i2c-\(bus) address 0x\(String(address, radix: 16))"
        case .serial(let port, _): "serial \(port)"
        }
    }
}
