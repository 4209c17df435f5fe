import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

@Suite struct BME280Tests {
    /// The calibration blocks of the datasheet example, as the chip stores them.
    func exampleCompensation() throws -> BME280Compensation {
        let bus = SimI2CBus(number: 1)
        bus.attach(SimBME280(), at: 0x76)
        let block88 = try bus.readBlock(address: 0x76, register: 0x88, count: 24) + [0, try bus.readByte(address: 0x76, register: 0xA1)]
        return BME280Compensation(block88: block88, blockE1: try bus.readBlock(address: 0x76, register: 0xE1, count: 7))
    }

    @Test func calibrationDecodesEveryParameterIncludingTheSharedNibbles() throws {
        let c = try exampleCompensation()
        #expect([c.t1, c.t2, c.t3] == [27504, 26435, -1000])
        #expect([c.p1, c.p2, c.p3, c.p4, c.p5, c.p6, c.p7, c.p8, c.p9] == [36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000])
        #expect([c.h1, c.h2, c.h3, c.h4, c.h5, c.h6] == [75, 362, 0, 313, 50, 30])
    }

    @Test func negativeTwelveBitHumidityParametersKeepTheirSign() {
        // H4 = -300 (0xED4), H5 = -5 (0xFFB): 0xE4 = 0xED, 0xE5 = 0xB4, 0xE6 = 0xFF.
        let c = BME280Compensation(block88: Array(repeating: 0, count: 26), blockE1: [0, 0, 0, 0xED, 0xB4, 0xFF, 0])
        #expect(c.h4 == -300)
        #expect(c.h5 == -5)
    }

    /// The datasheet's worked example: adc_T 519888 → t_fine 128422, 25.08 °C; adc_P 415148 → 100653.27 Pa.
    @Test func datasheetWorkedExample() throws {
        let c = try exampleCompensation()
        let (centiCelsius, tFine) = c.temperature(adc: 519_888)
        #expect(tFine == 128_422)
        #expect(centiCelsius == 2508)
        let pascals = Double(c.pressure(adc: 415_148, tFine: tFine)) / 256
        #expect(abs(pascals - 100_653.27) < 0.02)
    }

    /// The integer humidity formula agrees with the datasheet's floating-point one.
    @Test(arguments: [20_000, 30_000, 40_000])
    func integerHumidityMatchesTheFloatingPointFormula(adc: Int) throws {
        let c = try exampleCompensation()
        let tFine = c.temperature(adc: 519_888).tFine
        var h = Double(tFine) - 76800
        h = (Double(adc) - (Double(c.h4) * 64 + Double(c.h5) / 16384 * h))
            * (Double(c.h2) / 65536 * (1 + Double(c.h6) / 67_108_864 * h * (1 + Double(c.h3) / 67_108_864 * h)))
        h = min(max(h * (1 - Double(c.h1) * h / 524_288), 0), 100)
        #expect(abs(Double(c.humidity(adc: adc, tFine: tFine)) / 1024 - h) < 0.01)
    }

    @Test func driverSamplesThroughRegistersLikeTheChip() throws {
        let i2c = SimI2CProvider()
        let model = SimBME280()
        i2c.bus(1).attach(model, at: 0x76)
        let sensor = BME280(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        try sensor.start()
        let sample = try sensor.sample()
        #expect(sample[["temperature"]] == .float(25.08))
        #expect(sample[["pressure"]] == .float(1006.5325))
        guard case .float(let humidity)? = sample[["humidity"]] else { Issue.record("no humidity"); return }
        #expect(abs(humidity - 54.997) < 0.001)
        model.setReadings(.init(temperature: 530_000, pressure: 415_148, humidity: 30_000))
        guard case .float(let warmer)? = try sensor.sample()[["temperature"]] else { Issue.record("no temperature"); return }
        #expect(warmer > 25.08)
        #expect(model.measurementCount == 2)
    }

    /// The chip driver alone, on a bus the caller owns: typed measurements, and the bus left
    /// open for its other devices (a PCA9685 on the same bus keeps answering).
    @Test func theChipDriverMeasuresOnABusItDoesNotOwn() throws {
        let bus = SimI2CBus(number: 1)
        bus.attach(SimBME280(), at: 0x76)
        bus.attach(SimPCA9685(), at: 0x40)
        let chip = try BME280Chip(bus: bus, address: 0x76, delay: NoDelay())
        let measurement = try chip.measure()
        #expect(measurement.temperatureCelsius == 25.08)
        #expect(measurement.pressureHectopascals == 1006.5325)
        #expect(abs(measurement.humidityPercent - 54.997) < 0.001)
        #expect(throws: Never.self) { try bus.readByte(address: 0x40, register: 0x00) }
        #expect { try BME280Chip(bus: bus, address: 0x40, delay: NoDelay()) } throws: { error in
            (error as? HardwareError)?.kind == .unsupported && "\(error)".contains("expected 0x60")
        }
    }

    @Test func wrongChipIdIsAClearFault() throws {
        final class BMP280: SimI2CDevice {
            func readRegister(_ register: UInt8) -> UInt8 { register == 0xD0 ? 0x58 : 0 }
            func writeRegister(_ register: UInt8, _ value: UInt8) {}
            func snapshot() -> JSONValue { .null }
        }
        let i2c = SimI2CProvider()
        i2c.bus(1).attach(BMP280(), at: 0x76)
        let sensor = BME280(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        #expect { try sensor.start() } throws: { error in
            "\(error)".contains("0x58") && "\(error)".contains("BMP280") && "\(error)".contains("i2c-1 address 0x76")
        }
        #expect(throws: HardwareError.self) { try sensor.sample() }
    }

    @Test func missingSensorNacks() {
        let i2c = SimI2CProvider()
        _ = i2c.bus(1)
        let sensor = BME280(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        #expect { try sensor.start() } throws: { ($0 as? HardwareError)?.errno == 6 }
    }
}
