import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim

/// What `iio` and `hwmon` entries share: the device by its kernel name and, optionally, the
/// I2C entry and address the kernel bound it to; `poll_ms`; `channels` to choose (a list) or
/// choose and rename (a mapping `channel: attribute`). With an address, the entry claims it:
/// while a kernel driver holds a chip, no userspace kind may also open it.
enum KernelSensorEntry {
    static let keys = ["device", "i2c", "address", "poll_ms", "channels"]

    static func read(_ subsystem: KernelSensorSubsystem, _ map: MappingReader, _ context: BoardContext) -> ComponentPlan? {
        let example = subsystem == .iio ? "bme280" : "lm75"
        guard let deviceField = map.required("device", "the kernel's name for the device, e.g. \(example)"),
              let device = deviceField.string() else { return nil }
        guard isKernelName(device) else {
            deviceField.error("'\(device)' is not a kernel device name (the \(subsystem.rawValue) device's name file, e.g. \(example))")
            return nil
        }
        var valid = true
        var bus: Int?, address: UInt8?
        let busField = map.optional("i2c")
        if let busField {
            if let name = busField.string(), case .i2c(let number)? = busField.hardwareEntry(name, kinds: ["i2c"], in: context) {
                bus = number
            } else {
                valid = false
            }
        }
        let addressField = map.optional("address")
        if let addressField {
            if let value = addressField.int(in: 0x03...0x77) {
                if busField == nil {
                    addressField.error("an address needs the i2c entry the device is on (i2c: <entry>)")
                    valid = false
                }
                address = UInt8(value)
            } else {
                valid = false
            }
        }
        var pollInterval = Duration.milliseconds(1000)
        if let field = map.optional("poll_ms") {
            if let milliseconds = field.int(in: 10...3_600_000) { pollInterval = .milliseconds(milliseconds) } else { valid = false }
        }
        var choices: [KernelSensor.ChannelChoice]?
        if let field = map.optional("channels") {
            choices = channels(field)
            if choices == nil { valid = false }
        }
        guard valid else { return nil }
        let selector = KernelSensorSelector(subsystem: subsystem, name: device, i2cBus: bus, address: address)
        var configuration = KernelSensor.Configuration(selector: selector)
        configuration.pollInterval = pollInterval
        configuration.channels = choices
        let frozen = configuration
        var claims: [Claim] = []
        if let bus, let address, let addressField { claims.append(addressField.claim(.i2cAddress(bus: bus, address: Int(address)))) }
        return ComponentPlan(
            claims: claims, owner: .kernelSensor(selector), help: nil,
            simulated: [.kernelSensor(selector, channels: choices?.map(\.channel) ?? [])]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return KernelSensor(provider: build.platform.kernelSensors, configuration: configuration)
        }
    }

    /// `[temperature, pressure]` or `{ temperature: inside, pressure: air }`: channel names as
    /// iotoyd names them (`iotoyd probe` lists them), each chosen once, each attribute unique.
    static func channels(_ field: Field) -> [KernelSensor.ChannelChoice]? {
        var choices: [KernelSensor.ChannelChoice] = []
        var valid = true
        func add(_ channel: String, _ attribute: String, at position: Field) {
            if !ResourcePath.isValidSegment(channel) {
                position.error("'\(channel)' is not a channel name (iotoyd probe lists them, e.g. temperature, voltage0)")
                valid = false
            } else if !ResourcePath.isValidSegment(attribute) {
                position.error("'\(attribute)' is not a valid attribute name (a letter, then letters, digits and _)")
                valid = false
            } else if choices.contains(where: { $0.channel == channel }) {
                position.error("channel '\(channel)' is chosen twice")
                valid = false
            } else if choices.contains(where: { $0.attribute == attribute }) {
                position.error("two channels would both be mounted as '\(attribute)'")
                valid = false
            } else {
                choices.append(.init(channel: channel, attribute: attribute))
            }
        }
        if let items = field.node.sequence.map(Array.init) {
            guard !items.isEmpty else {
                field.error("expected the channels to mount, e.g. [temperature, pressure]")
                return nil
            }
            for (index, item) in items.enumerated() {
                let itemField = Field(node: item, keyPath: field.keyPath + ["\(index)"], report: field.report)
                guard let name = itemField.string() else { valid = false; continue }
                add(name, name, at: itemField)
            }
        } else if field.node.mapping != nil, let mapping = field.mapping() {
            guard !mapping.keys.isEmpty else {
                field.error("expected the channels to mount, e.g. { temperature: inside_temperature }")
                return nil
            }
            for channel in mapping.keys {
                guard let entry = mapping.optional(channel), let attribute = entry.string() else { valid = false; continue }
                add(channel, attribute, at: mapping.keyField(channel) ?? entry)
            }
        } else {
            field.error("expected a list of channels ([temperature, pressure]) or a mapping renaming them ({ temperature: inside })")
            return nil
        }
        return valid ? choices : nil
    }

    /// A kernel name as the `name` file holds it: letters, digits, `_ - , .`, no `/` or spaces.
    static func isKernelName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-,.".unicodeScalars.contains($0) }
    }
}
