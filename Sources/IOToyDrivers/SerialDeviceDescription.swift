import IOToyCore
import IOToyHAL
import IOToyWire
import Logging

/// What a device said about itself: its id, attributes and functions, typed from its help.
public struct SerialDeviceDescription: Sendable, Hashable {
    /// One attribute: `get`/`set` by name.
    public struct Attribute: Sendable, Hashable {
        public let name: String
        public let type: ValueType
        public let help: String
    }

    /// One function, called by name with its spec's arguments.
    public struct Function: Sendable, Hashable {
        public let name: String
        public let spec: FunctionSpec
        public let help: String
    }

    public let identity: DeviceIdentity
    public let attributes: [Attribute]
    public let functions: [Function]

    public init(identity: DeviceIdentity, attributes: [Attribute], functions: [Function]) {
        self.identity = identity
        self.attributes = attributes
        self.functions = functions
    }

    /// Asks the device: `funcs`, `attrs`, then `help <name>` for each. A device that gives no
    /// help (or help that does not parse) still has its resources: attributes as their listed
    /// type (or `str`), functions with no arguments. Names that cannot be resource names, and
    /// a function named like an attribute, are left out with a notice.
    static func introspect(
        _ identity: DeviceIdentity, session: SerialSession, timeout: Duration, logger: Logger
    ) throws(HardwareError) -> SerialDeviceDescription {
        let functionNames = SerialListing.functions(try data(of: .funcs, session: session, timeout: timeout))
        let listedAttributes = SerialListing.attributes(try data(of: .attrs, session: session, timeout: timeout))
        var attributes: [Attribute] = []
        var taken: Set<String> = []
        for (name, listedType) in listedAttributes {
            guard usable(name, logger: logger, port: session.device) else { continue }
            let help = try helpLine(name, session: session, timeout: timeout).flatMap(AttributeHelp.init)
            if help == nil { logger.notice("no usable help for attribute", metadata: ["port": "\(session.device)", "attribute": "\(name)"]) }
            let type = listedType ?? help?.type ?? .str
            attributes.append(Attribute(name: name, type: type, help: nonEmpty(help?.text) ?? "\(name) (\(type.rawValue))"))
            taken.insert(name)
        }
        var functions: [Function] = []
        for name in functionNames {
            guard usable(name, logger: logger, port: session.device) else { continue }
            guard !taken.contains(name) else {
                logger.notice("function has an attribute's name; left out", metadata: ["port": "\(session.device)", "function": "\(name)"])
                continue
            }
            let help = try helpLine(name, session: session, timeout: timeout).flatMap(FunctionHelp.init)
            if help == nil { logger.notice("no usable help for function; served without arguments", metadata: ["port": "\(session.device)", "function": "\(name)"]) }
            functions.append(Function(name: name, spec: help?.spec ?? FunctionSpec(), help: nonEmpty(help?.text) ?? "\(name) (the device gives no help)"))
            taken.insert(name)
        }
        return SerialDeviceDescription(identity: identity, attributes: attributes, functions: functions)
    }

    /// The endpoints this description becomes, each function with its timeout.
    func endpoints(timeout: (String) -> Duration) -> [Endpoint] {
        attributes.map { Endpoint([$0.name], .attribute(AttributeInfo(type: $0.type, help: $0.help, writable: true))) }
            + functions.map { Endpoint([$0.name], .function(FunctionInfo(spec: $0.spec, help: $0.help, timeout: timeout($0.name)))) }
    }

    private static func data(of command: SerialCommand, session: SerialSession, timeout: Duration) throws(HardwareError) -> String {
        let reply = try session.send(command, timeout: timeout)
        guard reply.code == 200 else {
            throw HardwareError(.io, operation: command.line, device: session.device, message: "the device answered \(reply)")
        }
        return reply.data
    }

    private static func helpLine(_ name: String, session: SerialSession, timeout: Duration) throws(HardwareError) -> String? {
        guard let command = try? SerialCommand.help(name) else { return nil }
        let reply = try session.send(command, timeout: timeout)
        return reply.code == 200 ? reply.payload : nil
    }

    private static func usable(_ name: String, logger: Logger, port: String) -> Bool {
        if (try? ResourcePath([name])) != nil, !SerialCommand.builtinNames.contains(name) { return true }
        logger.notice("the device's name cannot be a resource name; left out", metadata: ["port": "\(port)", "name": "\(name)"])
        return false
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
