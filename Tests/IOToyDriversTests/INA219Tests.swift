import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

@Suite struct INA219Tests {
    /// The datasheet's Configure/Measure/Calculate example (SBOS448, Table 3): a 10 A load,
    /// 12 V common mode, a 2 mΩ shunt, a current LSB of 1 mA (max_current_a 32.768).
    static let example = INA219Chip.Settings(shuntOhms: 0.002, maxCurrentAmperes: 32.768)

    /// Cal = trunc(0.04096 / (Current_LSB × R_shunt)): 20480 (5000h) and a 20 mW power LSB in
    /// the example; 4096 for §8.5.1's 0.1 Ω and 100 µA; 4194 for a breakout's 0.1 Ω at 3.2 A.
    @Test func theCalibrationIsTheDatasheetsEquation() {
        #expect(Self.example.currentLSB == 0.001)
        #expect(Self.example.calibration == 20480)
        #expect(abs(Self.example.powerLSB - 0.020) < 1e-15)
        #expect(INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 3.2768).calibration == 4096)
        #expect(INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 3.2).calibration == 4194)
        #expect(Self.example.problem == nil)
    }

    @Test func settingsTheChipCannotHoldAreRefusedWithTheReason() {
        let tooMuch = INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 4)
        #expect(tooMuch.pga == nil)
        #expect(tooMuch.problem?.contains("0.32 V") == true)
        let tooFine = INA219Chip.Settings(shuntOhms: 0.001, maxCurrentAmperes: 1)
        #expect(tooFine.problem?.contains("would overflow 16 bits") == true)
        // The PGA is the smallest shunt range that holds max_current_a × shunt_ohms.
        #expect(INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 0.4).pga == 0)
        #expect(Self.example.pga == 1)   // 65.5 mV needs ±80 mV
        #expect(INA219Chip.Settings(shuntOhms: 0.1, maxCurrentAmperes: 3.2).pga == 3)
    }

    /// Table 3's register contents come out of the model and the driver presents Table 3's
    /// values: shunt 07D0h (20 mV), bus 5D98h (11.98 V), calibration 5000h, current 2710h
    /// (10.0 A), power 1766h (119.8 W).
    @Test func theDatasheetExampleRegisterByRegister() throws {
        let model = SimINA219(shuntVolts: 0.020, busVolts: 11.98)
        let bus = SimI2CBus(number: 1)
        bus.attach(model, at: 0x40)
        let chip = try INA219Chip(bus: bus, address: 0x40, settings: Self.example, delay: NoDelay())
        // 32 V bus, PGA /2, 12-bit ADCs, shunt and bus continuous (the table's 019Fh has the
        // 16 V range and PGA /1; the example's numbers do not depend on either).
        #expect(model.configuration == 0x299F)
        #expect(model.calibration == 0x5000)
        #expect(model.register(SimINA219.Register.shunt) == 0x07D0)
        #expect(model.register(SimINA219.Register.bus) & ~0b11 == 0x5D98)
        #expect(model.register(SimINA219.Register.current) == 0x2710)
        #expect(model.register(SimINA219.Register.power) == 0x1766)
        let measurement = try chip.measure()
        #expect(measurement == .init(busVolts: 11.98, shuntMillivolts: 20, currentAmperes: 10, powerWatts: 119.8))
    }

    @Test func aReverseCurrentIsNegativeAndItsPowerIsNot() throws {
        let model = SimINA219(shuntVolts: -0.005, busVolts: 11.98)
        let bus = SimI2CBus(number: 1)
        bus.attach(model, at: 0x40)
        let chip = try INA219Chip(bus: bus, address: 0x40, settings: Self.example, delay: NoDelay())
        let measurement = try chip.measure()
        #expect(measurement.shuntMillivolts == -5)
        #expect(measurement.currentAmperes == -2.5)        // −500 × 20480 / 4096 = −2500 mA
        #expect(measurement.powerWatts == 29.94)           // 2500 × 2995 / 5000 = 1497 × 20 mW
    }

    @Test func aCurrentBeyondTheCalibrationIsAnErrorNotAWrongNumber() throws {
        let model = SimINA219(shuntVolts: 0.070, busVolts: 12)   // 35 A through 2 mΩ, above 32.768
        let bus = SimI2CBus(number: 1)
        bus.attach(model, at: 0x40)
        let chip = try INA219Chip(bus: bus, address: 0x40, settings: Self.example, delay: NoDelay())
        #expect { try chip.measure() } throws: { error in
            (error as? HardwareError)?.kind == .io && "\(error)".contains("math overflow")
        }
    }

    @Test func theComponentPresentsFourUnits() throws {
        let i2c = SimI2CProvider()
        let model = SimINA219(shuntVolts: 0.020, busVolts: 11.98)
        i2c.bus(1).attach(model, at: 0x41)
        var configuration = INA219.Configuration(bus: 1)
        configuration.address = 0x41
        configuration.settings = Self.example
        let monitor = INA219(i2c: i2c, delay: NoDelay(), configuration: configuration)
        let units = monitor.endpoints.compactMap { endpoint -> String? in
            guard case .attribute(let info) = endpoint.kind, info.sampled, !info.writable else { return nil }
            return "\(endpoint.path[0]):\(info.constraints?.unit ?? "")"
        }
        #expect(units == ["bus_voltage:V", "shunt_voltage:mV", "current:A", "power:W"])
        try monitor.start()
        let sample = try monitor.sample()
        #expect(sample == [["bus_voltage"]: .float(11.98), ["shunt_voltage"]: .float(20), ["current"]: .float(10), ["power"]: .float(119.8)])
        model.setBusVolts(5)
        model.setShuntVolts(0.001)
        #expect(try monitor.read(["current"]) == .float(0.5))
        #expect(try monitor.read(["power"]) == .float(2.5))   // 500 × 1250 / 5000 = 125 × 20 mW
    }

    /// A chip that does not keep the configuration and calibration written to it is not an
    /// INA219 (a PCA9685 at 0x40 would answer too).
    @Test func aChipThatDoesNotKeepItsCalibrationIsRefused() throws {
        final class Silent: SimI2CDevice {
            func readRegister(_ register: UInt8) -> UInt8 { 0 }
            func writeRegister(_ register: UInt8, _ value: UInt8) {}
            func snapshot() -> JSONValue { .null }
        }
        let i2c = SimI2CProvider()
        i2c.bus(1).attach(Silent(), at: 0x40)
        let monitor = INA219(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        #expect { try monitor.start() } throws: { error in
            (error as? HardwareError)?.kind == .unsupported && "\(error)".contains("not an INA219")
                && "\(error)".contains("i2c-1 address 0x40")
        }
        #expect(throws: HardwareError.self) { try monitor.sample() }
    }

    @Test func aNackIsAHardwareErrorAndTheComponentRecovers() throws {
        let i2c = SimI2CProvider()
        let bus = i2c.bus(1)
        bus.attach(SimINA219(shuntVolts: 0.010, busVolts: 5), at: 0x40)
        let monitor = INA219(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        bus.injectFault(at: 0x40, errno: 121)
        #expect { try monitor.start() } throws: { ($0 as? HardwareError)?.errno == 121 }
        bus.injectFault(at: 0x40, errno: nil)
        try monitor.start()
        bus.injectFault(at: 0x40, errno: 5)
        #expect { try monitor.sample() } throws: { ($0 as? HardwareError)?.errno == 5 }
        bus.injectFault(at: 0x40, errno: nil)
        #expect(try monitor.sample()[["shunt_voltage"]] == .float(10))
    }
}
