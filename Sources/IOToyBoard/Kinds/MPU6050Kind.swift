import IOToyDrivers
import IOToyHAL
import IOToySim

/// `mpu6050`: a directory of acceleration, angular rate (vectors and per axis) and temperature.
enum MPU6050Kind {
    static let kind = ComponentKind(
        name: "mpu6050", summary: "MPU-6050 IMU: acceleration, angular rate, temperature (sampled)",
        keys: ["i2c", "address", "accel_range_g", "gyro_range_dps", "dlpf_hz", "poll_ms"]
    ) { map, context in
        guard let busField = map.required("i2c", "the name of an i2c entry under hardware"),
              let busName = busField.string() else { return nil }
        guard case .i2c(let bus)? = busField.hardwareEntry(busName, kinds: ["i2c"], in: context) else { return nil }
        var configuration = MPU6050.Configuration(bus: bus)
        var valid = true
        let addressField = map.optional("address")
        if let addressField {
            if let address = addressField.int(in: 0x03...0x77) {
                if address == 0x68 || address == 0x69 {
                    configuration.address = UInt8(address)
                } else {
                    addressField.error("an MPU-6050 answers only at 0x68 (AD0 to GND) or 0x69 (AD0 to VLOGIC)")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let field = map.optional("accel_range_g") {
            if let range = field.oneOf(MPU6050Chip.AccelerationRange.self, "accelerometer range") {
                configuration.settings.accelerationRange = range
            } else {
                valid = false
            }
        }
        if let field = map.optional("gyro_range_dps") {
            if let range = field.oneOf(MPU6050Chip.AngularRateRange.self, "gyro range") {
                configuration.settings.angularRateRange = range
            } else {
                valid = false
            }
        }
        if let field = map.optional("dlpf_hz") {
            if let filter = field.oneOf(MPU6050Chip.LowPassFilter.self, "low-pass filter bandwidth") {
                configuration.settings.lowPassFilter = filter
            } else {
                valid = false
            }
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
            simulated: [.i2cDevice(bus: bus, address: frozen.address, model: SimulatedI2CModel(name: "mpu6050") { SimMPU6050() })]
        ) { build, help in
            var configuration = frozen
            if let help { configuration.help = help }
            return MPU6050(i2c: build.platform.i2c, delay: build.platform.delay, configuration: configuration)
        }
    }
}

extension Field {
    /// An integer that is one of `T`'s raw values (`accel_range_g: 4`).
    func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ what: String) -> T? where T.RawValue == Int {
        guard let value = int(in: Int.min...Int.max) else { return nil }
        guard let choice = T(rawValue: value) else {
            error("\(value) is not a\(what.first.map { "aeiou".contains($0) } == true ? "n" : "") \(what) of the chip: one of \(T.allCases.map { "\($0.rawValue)" }.joined(separator: ", "))")
            return nil
        }
        return choice
    }
}
