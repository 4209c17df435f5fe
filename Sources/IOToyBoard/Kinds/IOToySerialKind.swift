import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import IOToyWire

/// `iotoy_serial`: a microcontroller that describes itself over serial, mounted as a
/// directory of its own attributes and functions.
enum IOToySerialKind {
    static let kind = ComponentKind(
        name: "iotoy_serial", summary: "IOTOY microcontroller on a serial port: its own attributes and functions",
        keys: ["serial", "timeout_ms", "timeouts_ms", "ready_timeout_ms", "safe_state", "failsafe_ms", "simulate"]
    ) { map, context in
        guard let portField = map.required("serial", "the name of a serial entry under hardware"),
              let portName = portField.string() else { return nil }
        guard case .serial(let port, let baud)? = portField.hardwareEntry(portName, kinds: ["serial"], in: context) else { return nil }
        var configuration = IOToySerialDevice.Configuration(port: port, baud: baud)
        var valid = true
        if let field = map.optional("timeout_ms") {
            if let milliseconds = field.int(in: 10...600_000) { configuration.commandTimeout = .milliseconds(milliseconds) } else { valid = false }
        }
        if let field = map.optional("ready_timeout_ms") {
            if let milliseconds = field.int(in: 0...60_000) { configuration.readyTimeout = .milliseconds(milliseconds) } else { valid = false }
        }
        if let field = map.optional("timeouts_ms") {
            if let timeouts = field.mapping() {
                for name in timeouts.keys {
                    guard let entry = timeouts.optional(name) else { continue }
                    guard ResourcePath.isValidSegment(name) else {
                        timeouts.keyField(name)?.error("'\(name)' is not a function name")
                        valid = false
                        continue
                    }
                    if let milliseconds = entry.int(in: 10...600_000) {
                        configuration.functionTimeouts[name] = .milliseconds(milliseconds)
                    } else {
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("safe_state") {
            guard let name = field.string(), ResourcePath.isValidSegment(name) else {
                field.error("safe_state names a function of the device without arguments, e.g. stop")
                return nil
            }
            configuration.safeStateFunction = name
        }
        var simulated = "testhost"
        if let field = map.optional("simulate") {
            guard let name = field.string(), SimIOToyDevice.exampleNames.contains(name) else {
                field.error("simulate must be one of \(SimIOToyDevice.exampleNames.joined(separator: ", "))")
                return nil
            }
            simulated = name
        }
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        if failsafe == .some(.invalid) { valid = false }
        if failsafe?.duration != nil, configuration.safeStateFunction == nil {
            map.optional("failsafe_ms")?.error("a failsafe deadline needs the device's safe_state function to call")
            valid = false
        }
        guard valid else { return nil }
        let frozen = configuration
        return ComponentPlan(
            claims: [portField.claim(.serialPort(entry: portName))], owner: .serialPort(portName),
            help: "IOTOY device on \(port) (its resources come from the device)",
            simulated: [.serialDevice(port: port, example: simulated)], failsafe: failsafe?.duration
        ) { build, _ in
            IOToySerialDevice(
                frozen, provider: build.platform.serial, logger: build.logger,
                metrics: SerialLinkMetrics(port: port, factory: build.metrics))
        }
    }
}
