import IOToyHAL
import Testing
@testable import IOToySim

@Suite struct SimI2CAndPWMTests {
    @Test func missingAddressesNackAndFaultsCanBeInjected() throws {
        let bus = SimI2CBus(number: 1)
        bus.attach(SimBME280(), at: 0x76)
        #expect(try bus.readByte(address: 0x76, register: 0xD0) == 0x60)
        #expect { try bus.readByte(address: 0x77, register: 0xD0) } throws: { ($0 as? HardwareError)?.errno == 6 }
        bus.injectFault(at: 0x76, errno: 5)
        #expect { try bus.readByte(address: 0x76, register: 0xD0) } throws: { ($0 as? HardwareError)?.kind == .io }
        bus.injectFault(at: 0x76, errno: nil)
        #expect(try bus.readWord(address: 0x76, register: 0x88) == 27504)
    }

    @Test func bme280MeasuresOnlyWhatWasEnabled() throws {
        let bus = SimI2CBus(number: 1)
        let model = SimBME280()
        bus.attach(model, at: 0x76)
        #expect(try bus.readBlock(address: 0x76, register: 0xF7, count: 8) == [0x80, 0, 0, 0x80, 0, 0, 0x80, 0])
        try bus.writeByte(address: 0x76, register: 0xF4, value: 0b001_001_01)   // forced, but humidity never enabled
        let data = try bus.readBlock(address: 0x76, register: 0xF7, count: 8)
        #expect(Array(data[6...7]) == [0x80, 0x00])
        #expect(Int(data[3]) << 12 | Int(data[4]) << 4 | Int(data[5]) >> 4 == 519_888)
        #expect(try bus.readByte(address: 0x76, register: 0xF4) & 0b11 == 0)    // back to sleep
        #expect(model.measurementCount == 1)
    }

    @Test func pca9685PrescaleIsWritableOnlyAsleep() throws {
        let model = SimPCA9685()
        model.writeRegister(0x00, 0x20)          // wake
        model.writeRegister(0xFE, 121)
        #expect(model.readRegister(0xFE) == 0x1E)
        model.writeRegister(0x00, 0x30)          // sleep
        model.writeRegister(0xFE, 121)
        model.writeRegister(0x00, 0x20)
        #expect(model.readRegister(0xFE) == 121)
        for (offset, byte) in [UInt8(0), 0, 0x33, 0x01].enumerated() { model.writeRegister(0x06 + UInt8(offset), byte) }
        #expect(abs(model.pulseWidthNs(channel: 0) - 307.0 * model.periodNs / 4096) < 1)
    }

    @Test func pwmChecksWhatTheKernelChecksAndRecordsHistory() throws {
        let chip = SimPWMChip(name: "pwmchip0", channelCount: 2)
        let provider = SimPWMProvider()
        provider.add(chip)
        let channel = try provider.openChannel(chip: "pwmchip0", channel: 1)
        #expect(throws: HardwareError.self) { try provider.openChannel(chip: "pwmchip0", channel: 1) }
        #expect(throws: HardwareError.self) { try provider.openChannel(chip: "pwmchip0", channel: 2) }
        #expect(throws: HardwareError.self) { try channel.apply(PWMState(periodNs: 1000, dutyNs: 2000, enabled: true)) }
        #expect(throws: HardwareError.self) { try channel.apply(PWMState(periodNs: 0, dutyNs: 0, enabled: true)) }
        try channel.apply(PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true))
        #expect(chip.state(of: 1)?.dutyNs == 1_500_000)
        channel.release()
        #expect(chip.state(of: 1)?.enabled == false)
        #expect(chip.history.map(\.state.enabled) == [true, false])
    }
}
