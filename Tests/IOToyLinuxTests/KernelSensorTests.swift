import Foundation
import IOToyHAL
import Testing
@testable import IOToyLinux

extension TemporaryTree {
    /// An IIO device as the kernel lays it out: the device's directory under the I2C client
    /// (`devices/…/i2c-<bus>/<bus>-00<addr>/iio:deviceN`, or under a platform device when
    /// `address` is nil) and the `bus/iio/devices/iio:deviceN` link to it.
    func iioDevice(_ number: Int, name: String, bus: Int = 1, address: UInt8? = nil, files: [String: String]) throws {
        let parent = address.map { "devices/platform/soc/i2c-\(bus)/\(bus)-00\(String($0, radix: 16))" } ?? "devices/platform/adc"
        let directory = "\(parent)/iio:device\(number)"
        try file("\(directory)/name", name + "\n")
        for (file, contents) in files { try self.file("\(directory)/\(file)", contents + "\n") }
        try link("bus/iio/devices/iio:device\(number)", to: "../../../\(directory)")
    }

    /// A hwmon device: `devices/…/<bus>-00<addr>/hwmon/hwmonN` and its `class/hwmon` link.
    func hwmonDevice(_ number: Int, name: String, bus: Int = 1, address: UInt8? = nil, files: [String: String]) throws {
        let parent = address.map { "devices/platform/soc/i2c-\(bus)/\(bus)-00\(String($0, radix: 16))" } ?? "devices/virtual/thermal"
        let directory = "\(parent)/hwmon/hwmon\(number)"
        try file("\(directory)/name", name + "\n")
        for (file, contents) in files { try self.file("\(directory)/\(file)", contents + "\n") }
        try link("class/hwmon/hwmon\(number)", to: "../../\(directory)")
    }
}

/// The IIO and hwmon backend against sysfs trees laid out as the kernel's ABI documents
/// them (Documentation/ABI/testing/sysfs-bus-iio, Documentation/hwmon/sysfs-interface). The
/// real drivers on i2c-stub are the kernel harness's (Tests/kernel/sensors-e2e.sh).
@Suite struct KernelSensorTests {
    func value(_ device: any KernelSensorDevice, _ name: String) throws -> Double {
        let channel = try #require(device.channels.first { $0.name == name }, "no channel \(name) in \(device.channels)")
        return try device.read(channel)
    }

    /// The bmp280 driver bound as `bme280` gives processed values: m°C, kPa, m%RH. These are
    /// what it reports for the BME280 datasheet's worked example (25.08 °C, 100653.25 Pa).
    @Test func aBME280ThroughIIOReadsInSIUnits() throws {
        let sys = try TemporaryTree()
        try sys.iioDevice(0, name: "bme280", bus: 1, address: 0x77, files: [
            "in_temp_input": "25080", "in_pressure_input": "100.653250000", "in_humidityrelative_input": "54997",
            "in_temp_oversampling_ratio": "2", "in_pressure_oversampling_ratio_available": "1 2 4 8 16",
            "in_humidityrelative_oversampling_ratio": "16",
        ])
        let provider = LinuxKernelSensorProvider(sysRoot: sys.root)
        let device = try provider.open(KernelSensorSelector(subsystem: .iio, name: "bme280"))
        #expect(device.name == "iio:device0 (bme280 on i2c-1 address 0x77)")
        #expect(device.channels == [
            KernelSensorChannel(name: "humidity", quantity: .humidity, source: "in_humidityrelative_input"),
            KernelSensorChannel(name: "pressure", quantity: .pressure, source: "in_pressure_input"),
            KernelSensorChannel(name: "temperature", quantity: .temperature, source: "in_temp_input"),
        ])
        #expect(device.channels.map(\.quantity.unit) == ["%RH", "hPa", "degC"])
        #expect(abs(try value(device, "temperature") - 25.08) < 1e-9)
        #expect(abs(try value(device, "pressure") - 1006.5325) < 1e-9)
        #expect(abs(try value(device, "humidity") - 54.997) < 1e-9)
    }

    /// Raw channels: (raw + offset) × scale, with the channel's own scale before its type's.
    /// MPU-6050 (datasheet: °C = TEMP_OUT / 340 + 36.53; the driver's offset 12420 and scale
    /// 2.941176 m°C), accelerometer ±2 g (16384 LSB/g; scale 0.000598 m/s²), an ADS1115 at
    /// ±4.096 V (0.125 mV/LSB) single-ended and differential, an INA219 (bus LSB 4 mV).
    @Test func rawChannelsUseOffsetThenScale() throws {
        let sys = try TemporaryTree()
        try sys.iioDevice(0, name: "mpu6050", bus: 1, address: 0x68, files: [
            "in_temp_raw": "-1700", "in_temp_offset": "12420", "in_temp_scale": "2.941176",
            "in_accel_z_raw": "16384", "in_accel_x_raw": "0", "in_accel_scale": "0.000598",
            "in_accel_x_calibbias": "0", "in_accel_z_mean_raw": "16000", "in_anglvel_y_raw": "-131", "in_anglvel_scale": "0.001064724",
        ])
        try sys.iioDevice(1, name: "ads1115", bus: 1, address: 0x48, files: [
            "in_voltage0_raw": "13200", "in_voltage0_scale": "0.125000000", "in_voltage1_raw": "-800", "in_voltage_scale": "0.0625",
            "in_voltage1_scale": "0.125000000", "in_voltage2_raw": "100",
            "in_voltage0-voltage1_raw": "-4000", "in_voltage-voltage_scale": "0.125000000",
            "in_voltage3_input": "1650", "in_voltage3_raw": "13200",
            "out_voltage0_raw": "12", "in_count0_raw": "3", "sampling_frequency": "128",
        ])
        try sys.iioDevice(2, name: "ina219", bus: 1, address: 0x41, files: [
            "in_voltage1_raw": "1250", "in_voltage1_scale": "4", "in_current3_raw": "250", "in_current3_scale": "1",
            "in_power2_raw": "62", "in_power2_scale": "20",
        ])
        let provider = LinuxKernelSensorProvider(sysRoot: sys.root)
        let mpu = try provider.open(KernelSensorSelector(subsystem: .iio, name: "mpu6050"))
        #expect(mpu.channels.map(\.name) == ["acceleration_x", "acceleration_z", "angular_velocity_y", "temperature"])
        #expect(mpu.channels.last?.source == "(in_temp_raw + in_temp_offset) × in_temp_scale")
        #expect(abs(try value(mpu, "temperature") - (-1700.0 / 340 + 36.53)) < 0.001)
        #expect(abs(try value(mpu, "acceleration_z") - 9.797632) < 1e-9)
        #expect(abs(try value(mpu, "angular_velocity_y") - (-131 * 0.001064724)) < 1e-12)

        let adc = try provider.open(KernelSensorSelector(subsystem: .iio, name: "ads1115"))
        #expect(adc.channels.map(\.name) == ["voltage0", "voltage0_minus_1", "voltage1", "voltage2", "voltage3"])
        #expect(abs(try value(adc, "voltage0") - 1.65) < 1e-12)
        #expect(abs(try value(adc, "voltage1") - (-0.1)) < 1e-12, "its own scale, not the type's")
        #expect(abs(try value(adc, "voltage2") - 0.00625) < 1e-12, "the type's scale")
        #expect(abs(try value(adc, "voltage0_minus_1") - (-0.5)) < 1e-12, "the differential channels' shared scale")
        #expect(adc.channels.first { $0.name == "voltage3" }?.source == "in_voltage3_input", "processed wins over raw")
        #expect(abs(try value(adc, "voltage3") - 1.65) < 1e-12)

        let monitor = try provider.open(KernelSensorSelector(subsystem: .iio, name: "ina219"))
        #expect(try value(monitor, "voltage1") == 5)
        #expect(try value(monitor, "current3") == 0.25)
        #expect(abs(try value(monitor, "power2") - 1.24) < 1e-12)
        #expect(monitor.channels.map(\.quantity.unit) == ["A", "W", "V"])
    }

    /// hwmon: temp m°C, in mV, curr mA, power µW, energy µJ, humidity m%RH, fan RPM; limits,
    /// alarms and labels are not channels.
    @Test func hwmonChannelsInSIUnits() throws {
        let sys = try TemporaryTree()
        try sys.hwmonDevice(0, name: "lm75", bus: 1, address: 0x48, files: [
            "temp1_input": "25500", "temp1_max": "80000", "temp1_max_hyst": "75000", "update_interval": "100",
        ])
        try sys.hwmonDevice(1, name: "ina219", bus: 1, address: 0x40, files: [
            "in0_input": "2", "in1_input": "5000", "curr1_input": "250", "power1_input": "1250000", "in0_label": "shunt",
            "energy1_input": "3600000", "humidity1_input": "45500", "fan2_input": "1200", "fan2_min": "300", "temp2_crit_alarm": "0",
        ])
        let provider = LinuxKernelSensorProvider(sysRoot: sys.root)
        let lm75 = try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "lm75", i2cBus: 1, address: 0x48))
        #expect(lm75.name == "hwmon0 (lm75 on i2c-1 address 0x48)")
        #expect(lm75.channels == [KernelSensorChannel(name: "temperature1", quantity: .temperature, source: "temp1_input")])
        #expect(try value(lm75, "temperature1") == 25.5)

        let monitor = try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "ina219"))
        #expect(monitor.channels.map(\.name) == ["current1", "energy1", "fan2", "humidity1", "power1", "voltage0", "voltage1"])
        #expect(try value(monitor, "voltage0") == 0.002)
        #expect(try value(monitor, "voltage1") == 5)
        #expect(try value(monitor, "current1") == 0.25)
        #expect(try value(monitor, "power1") == 1.25)
        #expect(try value(monitor, "energy1") == 3.6)
        #expect(try value(monitor, "humidity1") == 45.5)
        #expect(try value(monitor, "fan2") == 1200)
        #expect(monitor.channels.map(\.quantity.unit) == ["A", "J", "rpm", "%RH", "W", "V", "V"])
    }

    @Test func aDeviceIsChosenByNameBusAndAddressAndAMissingOneIsNamed() throws {
        let sys = try TemporaryTree()
        try sys.hwmonDevice(0, name: "lm75", bus: 1, address: 0x48, files: ["temp1_input": "20000"])
        try sys.hwmonDevice(1, name: "lm75", bus: 1, address: 0x49, files: ["temp1_input": "30000"])
        try sys.hwmonDevice(2, name: "cpu_thermal", files: ["temp1_input": "48900"])
        let provider = LinuxKernelSensorProvider(sysRoot: sys.root)
        let second = try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "lm75", i2cBus: 1, address: 0x49))
        #expect(try value(second, "temperature1") == 30)
        let soc = try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "cpu_thermal"))
        #expect(soc.name == "hwmon2 (cpu_thermal)")

        let ambiguous = #expect(throws: HardwareError.self) {
            try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "lm75"))
        }
        #expect(ambiguous?.kind == .notFound)
        #expect(ambiguous?.description.contains("2 devices match (lm75 on i2c-1 address 0x48; lm75 on i2c-1 address 0x49): name one by i2c and address") == true)

        let elsewhere = #expect(throws: HardwareError.self) {
            try provider.open(KernelSensorSelector(subsystem: .hwmon, name: "lm75", i2cBus: 1, address: 0x4a))
        }
        #expect(elsewhere?.device == "hwmon device 'lm75' on i2c-1 address 0x4a")
        #expect(elsewhere?.message?.contains("elsewhere: lm75 on i2c-1 address 0x48; lm75 on i2c-1 address 0x49") == true)

        let absent = #expect(throws: HardwareError.self) {
            try provider.open(KernelSensorSelector(subsystem: .iio, name: "bme280", i2cBus: 1, address: 0x77))
        }
        #expect(absent?.kind == .notFound)
        #expect(absent?.description.contains("iio device 'bme280' on i2c-1 address 0x77") == true)
        #expect(absent?.message?.contains("the kernel has no iio device of that name") == true)
    }

    @Test func aBadOrVanishedValueIsAnErrorNamingTheFile() throws {
        let sys = try TemporaryTree()
        try sys.iioDevice(0, name: "bme280", bus: 1, address: 0x76, files: ["in_temp_input": "25080", "in_pressure_input": "n/a"])
        let device = try LinuxKernelSensorProvider(sysRoot: sys.root).open(KernelSensorSelector(subsystem: .iio, name: "bme280"))
        let garbled = #expect(throws: HardwareError.self) { try value(device, "pressure") }
        #expect(garbled?.kind == .io)
        #expect(garbled?.operation == "read in_pressure_input")
        #expect(garbled?.message == "'n/a' is not a number")
        // The driver unbound: its directory is gone.
        try FileManager.default.removeItem(atPath: "\(sys.root)/devices/platform/soc/i2c-1/1-0076/iio:device0/in_temp_input")
        let gone = #expect(throws: HardwareError.self) { try value(device, "temperature") }
        #expect(gone?.kind == .notFound)
        #expect(gone?.device == "iio:device0 (bme280 on i2c-1 address 0x76)")
    }

    @Test func theI2CClientIsReadFromTheLink() {
        func location(_ target: String) -> String? {
            LinuxKernelSensorProvider.i2cLocation(inLinkTarget: target).map { "\($0.bus) 0x\(String($0.address, radix: 16))" }
        }
        #expect(location("../../../devices/platform/soc/fe804000.i2c/i2c-1/1-0077/iio:device0") == "1 0x77")
        #expect(location("../../devices/pci0000:00/0000:00:1f.3/i2c-12/12-004a/hwmon/hwmon3") == "12 0x4a")
        #expect(location("../../devices/virtual/thermal/thermal_zone0/hwmon0") == nil)
        #expect(location("../../devices/platform/coretemp.0/hwmon/hwmon2") == nil)
    }

    @Test func noSubsystemDirectoryMeansNoDevices() throws {
        let sys = try TemporaryTree()
        let provider = LinuxKernelSensorProvider(sysRoot: sys.root)
        #expect(provider.devices(.iio).isEmpty)
        #expect(provider.devices(.hwmon).isEmpty)
    }
}
