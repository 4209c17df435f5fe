import IOToyHAL

extension SimKernelSensorDevice {
    /// A device as the kernel's driver for the selector's chip offers it, with plausible
    /// values (a simulated `bme280` reads what the userspace BME280 model does: 25.08 °C,
    /// 1006.5325 hPa, 54.997 %RH), plus each of `extra` it lacks (a channel a board asks for
    /// by name; its quantity is guessed from the name's stem). A chip iotoyd does not know
    /// gets one temperature channel.
    public static func typical(_ selector: KernelSensorSelector, alsoOffering extra: [String] = []) -> SimKernelSensorDevice {
        var channels = known(selector.subsystem, selector.name) ?? [
            selector.subsystem == .iio ? channel("temperature", .temperature, "in_temp_input", 21.5)
                : channel("temperature1", .temperature, "temp1_input", 21.5),
        ]
        for name in extra where !channels.contains(where: { $0.0.name == name }) {
            let quantity = SensorQuantity.allCases.first { quantity in
                stems[quantity].map { stem in name.hasPrefix(stem) } ?? false
            } ?? .dimensionless
            channels.append(channel(name, quantity, "simulated", 1))
        }
        return SimKernelSensorDevice(
            subsystem: selector.subsystem, kernelName: selector.name, i2cBus: selector.i2cBus, address: selector.address,
            channels: channels)
    }

    private static let stems: [SensorQuantity: String] = [
        .temperature: "temperature", .humidity: "humidity", .pressure: "pressure", .voltage: "voltage",
        .current: "current", .power: "power", .energy: "energy", .acceleration: "acceleration",
        .angularVelocity: "angular_velocity", .magneticField: "magnetic_field", .illuminance: "illuminance",
        .distance: "distance", .fanSpeed: "fan",
    ]

    private static func channel(_ name: String, _ quantity: SensorQuantity, _ source: String, _ value: Double)
        -> (KernelSensorChannel, Double) {
        (KernelSensorChannel(name: name, quantity: quantity, source: source), value)
    }

    /// The channels of drivers a Pi enables by `dtoverlay=i2c-sensor,…`, as their sysfs files
    /// name them.
    private static func known(_ subsystem: KernelSensorSubsystem, _ name: String) -> [(KernelSensorChannel, Double)]? {
        switch (subsystem, name) {
        case (.iio, "bme280"):
            [channel("humidity", .humidity, "in_humidityrelative_input", 54.997),
             channel("pressure", .pressure, "in_pressure_input", 1006.5325),
             channel("temperature", .temperature, "in_temp_input", 25.08)]
        case (.iio, "bmp280"), (.iio, "bmp180"), (.iio, "bmp085"):
            [channel("pressure", .pressure, "in_pressure_input", 1006.5325),
             channel("temperature", .temperature, "in_temp_input", 25.08)]
        case (.iio, "ina219"), (.iio, "ina226"):
            [channel("current3", .current, "in_current3_raw × in_current3_scale", 0.25),
             channel("power2", .power, "in_power2_raw × in_power2_scale", 1.25),
             channel("voltage0", .voltage, "in_voltage0_raw × in_voltage0_scale", 0.0025),
             channel("voltage1", .voltage, "in_voltage1_raw × in_voltage1_scale", 5)]
        case (.iio, "ads1015"), (.iio, "ads1115"):
            (0..<4).map { channel("voltage\($0)", .voltage, "in_voltage\($0)_raw × in_voltage\($0)_scale", 1.65) }
        case (.iio, "mpu6050"):
            ["x", "y", "z"].map { channel("acceleration_\($0)", .acceleration, "in_accel_\($0)_raw × in_accel_scale", $0 == "z" ? 9.81 : 0) }
                + ["x", "y", "z"].map { channel("angular_velocity_\($0)", .angularVelocity, "in_anglvel_\($0)_raw × in_anglvel_scale", 0) }
                + [channel("temperature", .temperature, "(in_temp_raw + in_temp_offset) × in_temp_scale", 25)]
        case (.iio, "vl53l0x"):
            [channel("distance", .distance, "in_distance_raw × in_distance_scale", 0.5)]
        case (.hwmon, "lm75"), (.hwmon, "tmp102"), (.hwmon, "jc42"), (.hwmon, "tmp75"), (.hwmon, "ds1621"), (.hwmon, "lm73"):
            [channel("temperature1", .temperature, "temp1_input", 25.5)]
        case (.hwmon, "sht21"), (.hwmon, "htu21"), (.hwmon, "sht3x"), (.hwmon, "sht4x"), (.hwmon, "si7020"):
            [channel("humidity1", .humidity, "humidity1_input", 45),
             channel("temperature1", .temperature, "temp1_input", 22.5)]
        case (.hwmon, "ina219"), (.hwmon, "ina226"):
            [channel("current1", .current, "curr1_input", 0.25), channel("power1", .power, "power1_input", 1.25),
             channel("voltage0", .voltage, "in0_input", 0.0025), channel("voltage1", .voltage, "in1_input", 5)]
        default:
            nil
        }
    }
}
