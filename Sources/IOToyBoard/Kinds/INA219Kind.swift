import IOToyDrivers
import IOToyHAL
import IOToySim

/// `ina219`: a directory of bus voltage, shunt voltage, current and power.
enum INA219Kind {
    static let kind = ComponentKind(
        name: "ina219", summary: "INA219 monitor: bus volts, shunt millivolts, current, power (sampled)",
        keys: ["i2c", "address", "shunt_ohms", "max_current_a", "poll_ms"]
    ) { map, context in
        guard let busField = map.required("i2c", "the name of an i2c entry under hardware"),
              let busName = busField.string() else { return nil }
        guard case .i2c(let bus)? = busField.hardwareEntry(busName, kinds: ["i2c"], in: context) else { return nil }
        var configuration = INA219.Configuration(bus: bus)
        var valid = true
        let addressField = map.optional("address")
        if let addressField {
            if let address = addressField.int(in: 0x03...0x77) {
                if (0x40...0x4f).contains(address) {
                    configuration.address = UInt8(address)
                } else {
                    addressField.error("an INA219 answers only at 0x40…0x4f (A0 and A1 to GND, VS+, SDA or SCL)")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        let shuntField = map.optional("shunt_ohms")
        if let shuntField {
            if let ohms = shuntField.positiveNumber(upTo: 1000) { configuration.settings.shuntOhms = ohms } else { valid = false }
        }
        let currentField = map.optional("max_current_a")
        if let currentField {
            if let amperes = currentField.positiveNumber(upTo: 1000) { configuration.settings.maxCurrentAmperes = amperes } else { valid = false }
        }
        if valid, let problem = configuration.settings.problem {
            (currentField ?? shuntField ?? map.field).error(problem)
            valid = false
        }
        if let field = map.optional("poll_ms") {
            if let milliseconds = field.int(in: 10...3_600_000) { configuration.pollInterval = .milliseconds(milliseconds) } else { valid = false }
        }
        guard valid else { return nil }
        let frozen = configuration
        let claimField = addressField ?? busField
        return ComponentPlan(
            claims: [claimField.claim(.i2cAddress(bus: bus, address: Int(frozen.address)))],
            owner: .i2cBus(bus), help: nil,
            simulated: [.i2cDevice(bus: bus, address: frozen.address, model: SimulatedI2CModel(name: "ina219") { SimINA219(shuntVolts: 0.01, busVolts: 5) })]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return INA219(i2c: build.platform.i2c, delay: build.platform.delay, configuration: configuration)
        }
    }
}

extension Field {
    /// A number above 0 and at most `limit`.
    func positiveNumber(upTo limit: Double) -> Double? {
        guard let value = number() else { return nil }
        guard value > 0, value <= limit else {
            error("\(value) must be above 0 and at most \(limit)")
            return nil
        }
        return value
    }
}
