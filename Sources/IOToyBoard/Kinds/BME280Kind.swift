import IOToyDrivers
import IOToyHAL
import IOToySim

/// `bme280`: a directory of temperature, pressure and humidity.
enum BME280Kind {
    static let kind = ComponentKind(
        name: "bme280", summary: "BME280 sensor: temperature, pressure, humidity (sampled)",
        keys: ["i2c", "address", "poll_ms"]
    ) { map, context in
        guard let busField = map.required("i2c", "the name of an i2c entry under hardware"),
              let busName = busField.string() else { return nil }
        guard case .i2c(let bus)? = busField.hardwareEntry(busName, kinds: ["i2c"], in: context) else { return nil }
        var configuration = BME280.Configuration(bus: bus)
        let addressField = map.optional("address")
        if let addressField {
            guard let address = addressField.int(in: 0x03...0x77) else { return nil }
            guard address == 0x76 || address == 0x77 else {
                addressField.error("a BME280 answers only at 0x76 (SDO to GND) or 0x77 (SDO to VDDIO)")
                return nil
            }
            configuration.address = UInt8(address)
        }
        if let field = map.optional("poll_ms") {
            guard let milliseconds = field.int(in: 10...3_600_000) else { return nil }
            configuration.pollInterval = .milliseconds(milliseconds)
        }
        let frozen = configuration
        let claimField = addressField ?? busField
        return ComponentPlan(
            claims: [claimField.claim(.i2cAddress(bus: bus, address: Int(frozen.address)))],
            owner: .i2cBus(bus), help: nil,
            simulated: [.i2cDevice(bus: bus, address: frozen.address, model: SimulatedI2CModel(name: "bme280") { SimBME280() })]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return BME280(i2c: build.platform.i2c, delay: build.platform.delay, configuration: configuration)
        }
    }
}
