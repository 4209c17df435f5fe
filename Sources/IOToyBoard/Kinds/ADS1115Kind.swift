import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim

/// `ads1115`: a directory of the channels the board declares, each a pin or a differential
/// pair with its own range, rate and scaling.
enum ADS1115Kind {
    static let channelKeys = ["input", "full_scale_v", "data_rate_sps", "scale", "offset", "unit", "help"]

    static let kind = ComponentKind(
        name: "ads1115", summary: "ADS1115 ADC: one attribute per declared channel, volts or scaled (sampled)",
        keys: ["i2c", "address", "poll_ms", "channels"]
    ) { map, context in
        guard let busField = map.required("i2c", "the name of an i2c entry under hardware"),
              let busName = busField.string() else { return nil }
        guard case .i2c(let bus)? = busField.hardwareEntry(busName, kinds: ["i2c"], in: context) else { return nil }
        var valid = true
        var address: UInt8 = 0x48
        let addressField = map.optional("address")
        if let addressField {
            if let value = addressField.int(in: 0x03...0x77) {
                if (0x48...0x4b).contains(value) {
                    address = UInt8(value)
                } else {
                    addressField.error("an ADS1115 answers only at 0x48…0x4b (ADDR to GND, VDD, SDA or SCL)")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        var pollInterval: Duration = .milliseconds(1000)
        if let field = map.optional("poll_ms") {
            if let milliseconds = field.int(in: 10...3_600_000) { pollInterval = .milliseconds(milliseconds) } else { valid = false }
        }
        guard let channelsField = map.required("channels", "a mapping of attribute names to { input: a0 … }") else { return nil }
        guard let channels = readChannels(channelsField), valid else { return nil }
        var configuration = ADS1115.Configuration(bus: bus, channels: channels)
        configuration.address = address
        configuration.pollInterval = pollInterval
        let frozen = configuration
        let claimField = addressField ?? busField
        return ComponentPlan(
            claims: [claimField.claim(.i2cAddress(bus: bus, address: Int(address)))],
            owner: .i2cBus(bus), help: nil,
            simulated: [.i2cDevice(bus: bus, address: address, model: SimulatedI2CModel(name: "ads1115") { SimADS1115() })]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return ADS1115(i2c: build.platform.i2c, delay: build.platform.delay, configuration: configuration)
        }
    }

    /// The `channels:` mapping; nil when any channel was refused (every error reported).
    static func readChannels(_ field: Field) -> [ADS1115.Channel]? {
        guard let mapping = field.mapping() else { return nil }
        guard !mapping.keys.isEmpty else {
            field.error("an ads1115 needs at least one channel, e.g. { battery: { input: a0 } }")
            return nil
        }
        var channels: [ADS1115.Channel] = []
        var valid = true
        for name in mapping.keys {
            guard let entry = mapping.optional(name) else { continue }
            guard ResourcePath.isValidSegment(name) else {
                mapping.keyField(name)?.error("'\(name)' is not a valid attribute name ([A-Za-z][A-Za-z0-9_]*)")
                valid = false
                continue
            }
            if let channel = readChannel(name, entry) { channels.append(channel) } else { valid = false }
        }
        return valid ? channels : nil
    }

    static func readChannel(_ name: String, _ field: Field) -> ADS1115.Channel? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish(known: channelKeys) }
        var valid = true
        let inputs = ADS1115Chip.Input.allCases
        guard let inputField = map.required("input", "a0…a3, or a pair a0-a1, a0-a3, a1-a3, a2-a3"),
              let input = inputField.choice(ADS1115Chip.Input.self, inputs) else { return nil }
        var channel = ADS1115.Channel(name: name, input: input)
        if let field = map.optional("full_scale_v") {
            if let volts = field.number() {
                if let fullScale = ADS1115Chip.FullScale(rawValue: volts) { channel.fullScale = fullScale } else {
                    field.error("\(volts) V is not a full-scale range of the ADS1115: one of \(ADS1115Chip.FullScale.allCases.map { "\($0.rawValue)" }.joined(separator: ", "))")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("data_rate_sps") {
            if let rate = field.int(in: 1...10_000) {
                if let dataRate = ADS1115Chip.DataRate(rawValue: rate) { channel.dataRate = dataRate } else {
                    field.error("\(rate) is not a data rate of the ADS1115: one of \(ADS1115Chip.DataRate.allCases.map { "\($0.rawValue)" }.joined(separator: ", "))")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("scale") {
            if let scale = field.number() {
                if scale != 0 { channel.scale = scale } else {
                    field.error("a scale of 0 makes every reading the offset")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("offset") {
            if let offset = field.number() { channel.offset = offset } else { valid = false }
        }
        if let field = map.optional("unit") {
            if let unit = field.string() { channel.unit = unit } else { valid = false }
        }
        if let field = map.optional("help") {
            if let help = field.string() { channel.help = help } else { valid = false }
        }
        return valid ? channel : nil
    }
}
