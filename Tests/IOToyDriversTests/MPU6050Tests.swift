import IOToyCore
import IOToyHAL
import IOToySim
import Synchronization
import Testing
@testable import IOToyDrivers

/// A delay that only writes down what it was asked to wait.
final class RecordingDelay: BlockingDelay {
    private let waits = Mutex<[Duration]>([])
    var recorded: [Duration] { waits.withLock { $0 } }
    func wait(_ duration: Duration) { waits.withLock { $0.append(duration) } }
}

@Suite struct MPU6050Tests {
    func started(_ model: SimMPU6050, _ settings: MPU6050Chip.Settings = .init(), delay: any BlockingDelay = NoDelay()) throws -> MPU6050Chip {
        let bus = SimI2CBus(number: 1)
        bus.attach(model, at: 0x68)
        return try MPU6050Chip(bus: bus, address: 0x68, settings: settings, delay: delay)
    }

    /// Reset, the register map's 100 ms, awake on the gyro PLL, then DLPF and both ranges.
    @Test func startResetsWakesAndConfiguresTheChip() throws {
        let model = SimMPU6050()
        var settings = MPU6050Chip.Settings()
        settings.accelerationRange = .g8
        settings.angularRateRange = .dps1000
        settings.lowPassFilter = .hz10
        let delay = RecordingDelay()
        _ = try started(model, settings, delay: delay)
        #expect(model.resetCount == 1)
        #expect(delay.recorded.first == .milliseconds(100))
        #expect(model.register(SimMPU6050.Register.powerManagement1) == 0x01)   // SLEEP clear, CLKSEL 1
        #expect(model.register(SimMPU6050.Register.config) == 5)                 // DLPF_CFG 5: 10 Hz
        #expect(model.register(SimMPU6050.Register.gyroConfig) == 0b10 << 3)     // FS_SEL 2
        #expect(model.register(SimMPU6050.Register.accelConfig) == 0b10 << 3)    // AFS_SEL 2
    }

    /// The register map's sensitivities, read back from the registers: 1 g at ±4 g is 8192
    /// (2000h), 10 °/s at ±500 °/s is 655 (028Fh), and TEMP_OUT −3740 (F164h) is
    /// −3740 / 340 + 36.53 = 25.53 °C.
    @Test func theDatasheetsSensitivitiesRegisterByRegister() throws {
        let model = SimMPU6050(motion: .init(acceleration: (0, -0.5, 1), angularRate: (10, 0, -250), temperatureCelsius: 25.53))
        var settings = MPU6050Chip.Settings()
        settings.accelerationRange = .g4
        settings.angularRateRange = .dps500
        let chip = try started(model, settings)
        let measurement = try chip.measure()
        let bytes = (0x3B...0x48).map { model.register(UInt8($0)) }
        #expect(bytes == [0x00, 0x00, 0xF0, 0x00, 0x20, 0x00, 0xF1, 0x64, 0x02, 0x8F, 0x00, 0x00, 0xC0, 0x09])
        #expect(measurement.acceleration == .init(x: 0, y: -0.5, z: 1))
        #expect(measurement.angularRate == .init(x: 10, y: 0, z: -250))   // −250 °/s: −16375 (C009h)
        #expect(measurement.temperatureCelsius == 25.53)
    }

    /// Every range scales by its own sensitivity: a count is 1 / (32768 / range) g, and
    /// 1 / 131, 1 / 65.5, 1 / 32.8, 1 / 16.4 °/s.
    @Test(arguments: zip(MPU6050Chip.AccelerationRange.allCases, MPU6050Chip.AngularRateRange.allCases))
    func everyRangeScalesByItsSensitivity(accel: MPU6050Chip.AccelerationRange, gyro: MPU6050Chip.AngularRateRange) throws {
        let model = SimMPU6050(motion: .init(acceleration: (1, -1, 1.5), angularRate: (100, -100, 0), temperatureCelsius: 36.53))
        var settings = MPU6050Chip.Settings()
        settings.accelerationRange = accel
        settings.angularRateRange = gyro
        let measurement = try started(model, settings).measure()
        #expect(model.register(0x3B) == UInt8((32768 / accel.rawValue) >> 8))   // 1 g: 16384, 8192, 4096, 2048
        #expect(measurement.acceleration == .init(x: 1, y: -1, z: 1.5))
        let counts = (100 * gyro.countsPerDegreePerSecond).rounded()
        #expect(measurement.angularRate.x == MPU6050Chip.rounded(counts / gyro.countsPerDegreePerSecond))
        #expect(abs(measurement.angularRate.x - 100) <= 0.5 / gyro.countsPerDegreePerSecond)
        #expect(measurement.angularRate.y == -measurement.angularRate.x)
        #expect(measurement.temperatureCelsius == 36.53)   // TEMP_OUT 0
    }

    /// A wrong WHO_AM_I is a fault naming the id found, and the chip is left untouched.
    @Test func aWrongChipIDIsAFaultNamingTheIDFound() throws {
        let model = SimMPU6050(whoAmI: 0x70)
        let i2c = SimI2CProvider()
        i2c.bus(1).attach(model, at: 0x69)
        var configuration = MPU6050.Configuration(bus: 1)
        configuration.address = 0x69
        let imu = MPU6050(i2c: i2c, delay: NoDelay(), configuration: configuration)
        #expect { try imu.start() } throws: { error in
            (error as? HardwareError)?.kind == .unsupported && "\(error)".contains("chip id 0x70 (an MPU-6500)")
                && "\(error)".contains("expected 0x68") && "\(error)".contains("i2c-1 address 0x69")
        }
        #expect(model.resetCount == 0)
        #expect(throws: HardwareError.self) { try imu.sample() }
    }

    @Test func theComponentPresentsVectorsAxesAndTemperatureWithUnits() throws {
        let i2c = SimI2CProvider()
        let model = SimMPU6050(motion: .init(acceleration: (0.25, 0, -1), angularRate: (-1, 0, 2), temperatureCelsius: 36.53))
        i2c.bus(1).attach(model, at: 0x68)
        let imu = MPU6050(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        let units = imu.endpoints.compactMap { endpoint -> String? in
            guard case .attribute(let info) = endpoint.kind, info.sampled, !info.writable else { return nil }
            return "\(endpoint.path[0]):\(info.type.rawValue):\(info.constraints?.unit ?? "")"
        }
        #expect(units == [
            "acceleration:json:g", "acceleration_x:float:g", "acceleration_y:float:g", "acceleration_z:float:g",
            "angular_rate:json:deg/s", "angular_rate_x:float:deg/s", "angular_rate_y:float:deg/s", "angular_rate_z:float:deg/s",
            "temperature:float:degC",
        ])
        try imu.start()
        let sample = try imu.sample()
        #expect(sample[["acceleration"]] == .json(.object(["x": .double(0.25), "y": .double(0), "z": .double(-1)])))
        #expect(sample[["acceleration_x"]] == .float(0.25))
        #expect(sample[["acceleration_z"]] == .float(-1))
        #expect(sample[["angular_rate"]] == .json(.object(["x": .double(-1), "y": .double(0), "z": .double(2)])))
        #expect(sample[["angular_rate_z"]] == .float(2))
        #expect(sample[["temperature"]] == .float(36.53))
        model.setMotion(.flat)
        #expect(try imu.read(["acceleration_z"]) == .float(1))
        #expect(try imu.read(["temperature"]) == .float(25.0006))   // round(−11.53 × 340) = −3920; −3920 / 340 + 36.53 = 25.00059…
    }

    @Test func aNackIsAHardwareError() throws {
        let i2c = SimI2CProvider()
        let bus = i2c.bus(1)
        let imu = MPU6050(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        #expect { try imu.start() } throws: { ($0 as? HardwareError)?.errno == 6 }
        bus.attach(SimMPU6050(), at: 0x68)
        try imu.start()
        bus.injectFault(at: 0x68, errno: 121)
        #expect { try imu.sample() } throws: { ($0 as? HardwareError)?.errno == 121 }
    }
}
