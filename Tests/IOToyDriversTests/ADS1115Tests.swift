import IOToyCore
import IOToyHAL
import IOToySim
import Synchronization
import Testing
@testable import IOToyDrivers

/// A delay that waits for nothing but tells the ADC model how much time the driver let pass.
final class ModelTimeDelay: BlockingDelay {
    private let waits = Mutex<[Duration]>([])
    let model: SimADS1115

    init(_ model: SimADS1115) {
        self.model = model
    }

    var recorded: [Duration] { waits.withLock { $0 } }

    func wait(_ duration: Duration) {
        waits.withLock { $0.append(duration) }
        model.elapse(duration)
    }
}

/// What the kernel's i2c-stub is in word mode: a word per register, kept exactly as written
/// and answered exactly as kept (no byte order of its own, no conversions).
final class WordStub: SimI2CDevice {
    private let words = Mutex<[UInt8: UInt16]>([:])

    func preload(_ register: UInt8, wire: UInt16) { words.withLock { $0[register] = wire } }
    func word(_ register: UInt8) -> UInt16 { words.withLock { $0[register] ?? 0 } }
    func readWordRegister(_ register: UInt8) -> UInt16 { word(register) }
    func writeWordRegister(_ register: UInt8, _ value: UInt16) { words.withLock { $0[register] = value } }
    func readRegister(_ register: UInt8) -> UInt8 { UInt8(word(register) & 0xff) }
    func writeRegister(_ register: UInt8, _ value: UInt8) {}
    func snapshot() -> JSONValue { .null }
}

@Suite struct ADS1115Tests {
    func chip(_ model: SimADS1115, delay: any BlockingDelay = NoDelay()) throws -> (SimI2CBus, ADS1115Chip) {
        let bus = SimI2CBus(number: 1)
        bus.attach(model, at: 0x48)
        return (bus, try ADS1115Chip(bus: bus, address: 0x48, delay: delay))
    }

    /// The config register's power-on value 0x8583 is exactly a single-shot start of
    /// AIN0−AIN1 at ±2.048 V and 128 SPS with the comparator off (datasheet, config register).
    @Test func theConfigWordMatchesTheDatasheetBitLayout() {
        #expect(ADS1115Chip.singleShotConfig(.a0MinusA1, .volts2_048, .sps128) == 0x8583)
        // OS 1, MUX 100 (AIN0/GND), PGA 001 (±4.096), MODE 1, DR 111 (860), COMP_QUE 11.
        #expect(ADS1115Chip.singleShotConfig(.a0, .volts4_096, .sps860) == 0b1_100_001_1_111_00011)
        #expect(ADS1115Chip.singleShotConfig(.a2MinusA3, .volts0_256, .sps8) == 0b1_011_101_1_000_00011)
        #expect(ADS1115Chip.FullScale.volts6_144.voltsPerCode == 187.5e-6)
        #expect(ADS1115Chip.FullScale.volts0_256.voltsPerCode == 7.8125e-6)
    }

    /// The datasheet's output-code table: +FS/2^15 is 0001h, −FS/2^15 is FFFFh, ≥ +FS clips to
    /// 7FFFh and ≤ −FS to 8000h; 1 V at ±4.096 V (125 µV per code) is 8000.
    @Test func theModelsTransferFunctionIsTheDatasheets() {
        #expect(SimADS1115.code(volts: 4.096 / 32768, fullScale: 4.096) == 1)
        #expect(UInt16(bitPattern: SimADS1115.code(volts: -4.096 / 32768, fullScale: 4.096)) == 0xFFFF)
        #expect(UInt16(bitPattern: SimADS1115.code(volts: 5, fullScale: 4.096)) == 0x7FFF)
        #expect(UInt16(bitPattern: SimADS1115.code(volts: -5, fullScale: 4.096)) == 0x8000)
        #expect(SimADS1115.code(volts: 1, fullScale: 4.096) == 8000)
        #expect(SimADS1115.code(volts: 3.3, fullScale: 6.144) == 17600)
    }

    @Test func aSingleEndedConversionReadsTheInputsVolts() throws {
        let model = SimADS1115()
        model.setVolts(1.0, on: 0)
        model.setVolts(2.4, on: 1)
        let (_, chip) = try chip(model)
        let conversion = try chip.convert(.a0, fullScale: .volts4_096, dataRate: .sps128)
        #expect(conversion.code == 8000)
        #expect(conversion.volts == 1.0)
        #expect(model.config & 0x7FFF == 0x4383)   // what the chip was told: AIN0, ±4.096 V, single-shot
        let other = try chip.convert(.a1, fullScale: .volts6_144, dataRate: .sps860)
        #expect(other.code == 12800)   // 2.4 V / 187.5 µV
        #expect(other.volts == 2.4)
    }

    @Test func aDifferentialPairReadsTheDifferenceWithItsSign() throws {
        let model = SimADS1115()
        model.setVolts(1.5, on: 2)
        model.setVolts(2.0, on: 3)
        let (_, chip) = try chip(model)
        let conversion = try chip.convert(.a2MinusA3, fullScale: .volts2_048, dataRate: .sps128)
        #expect(conversion.code == -8000)   // −0.5 V / 62.5 µV
        #expect(conversion.volts == -0.5)
        // Beyond the range it clips to the datasheet's end codes, not wraps.
        model.setVolts(0, on: 3)
        #expect(try chip.convert(.a2MinusA3, fullScale: .volts1_024, dataRate: .sps128).code == 0x7FFF)
    }

    /// The driver waits the data rate's conversion time before asking, so a model that ends
    /// its conversion only once 1/rate has passed is read once, finished.
    @Test(arguments: [ADS1115Chip.DataRate.sps8, .sps128, .sps860])
    func theDriverWaitsTheConversionTimeOfTheRate(rate: ADS1115Chip.DataRate) throws {
        let model = SimADS1115(timing: .realTime)
        model.setVolts(1.0, on: 0)
        let delay = ModelTimeDelay(model)
        let (bus, chip) = try chip(model, delay: delay)
        let before = bus.transactionCount
        let conversion = try chip.convert(.a0, fullScale: .volts4_096, dataRate: rate)
        #expect(conversion.code == 8000)
        let first = try #require(delay.recorded.first)
        #expect(first >= .nanoseconds(1_000_000_000 / rate.rawValue))
        #expect(first <= .nanoseconds(1_000_000_000 / rate.rawValue) * 1.2)
        #expect(bus.transactionCount - before == 3)   // write config, one status read, read conversion
    }

    /// A conversion still running when the wait is over is polled on the OS bit; the result
    /// read is the new one, not the previous conversion left in the register.
    @Test func aSlowConversionIsPolledUntilTheOSBitSaysDone() throws {
        let model = SimADS1115(timing: .polls(4))
        let (bus, chip) = try chip(model)
        model.setVolts(0.5, on: 0)
        #expect(try chip.convert(.a0, fullScale: .volts4_096, dataRate: .sps128).volts == 0.5)
        model.setVolts(0.25, on: 0)
        let before = bus.transactionCount
        #expect(try chip.convert(.a0, fullScale: .volts4_096, dataRate: .sps128).volts == 0.25)
        #expect(bus.transactionCount - before == 1 + 5 + 1)
        #expect(model.conversionCount == 2)
    }

    @Test func aConversionThatNeverEndsIsATimeoutNotAHang() throws {
        let model = SimADS1115(timing: .never)
        let (bus, chip) = try chip(model)
        let before = bus.transactionCount
        #expect { try chip.convert(.a0, fullScale: .volts4_096, dataRate: .sps128) } throws: { error in
            (error as? HardwareError)?.kind == .timeout && "\(error)".contains("i2c-1 address 0x48") && "\(error)".contains("a0")
        }
        #expect(bus.transactionCount - before == 1 + 1 + ADS1115Chip.statusPolls)
    }

    /// The register byte order is the Linux drivers': on i2c-stub in word mode a conversion
    /// of 0x1F40 is preloaded as the word 0x401F (`i2cset -y 1 0x48 0x00 0x401f w`), and the
    /// config word written for AIN0 at ±4.096 V, 128 SPS (0xC383) is stored as 0x83C3.
    @Test func theDriverSpeaksSwappedSMBusWordsAsOnI2CStub() throws {
        let stub = WordStub()
        stub.preload(0x00, wire: 0x401F)
        let bus = SimI2CBus(number: 1)
        bus.attach(stub, at: 0x48)
        let chip = try ADS1115Chip(bus: bus, address: 0x48, delay: NoDelay())
        let conversion = try chip.convert(.a0, fullScale: .volts4_096, dataRate: .sps128)
        #expect(conversion.code == 0x1F40)
        #expect(conversion.volts == 1.0)
        #expect(stub.word(0x01) == 0x83C3)
    }

    @Test func channelsAreScaledIntoTheirOwnUnits() throws {
        let i2c = SimI2CProvider()
        let model = SimADS1115()
        i2c.bus(1).attach(model, at: 0x49)
        model.setVolts(2.0, on: 1)     // a 1:3 divider on a 6 V battery
        model.setVolts(1.65, on: 2)    // a pot at mid travel
        var battery = ADS1115.Channel(name: "battery", input: .a1)
        battery.fullScale = .volts4_096
        battery.scale = 3
        var knob = ADS1115.Channel(name: "knob", input: .a2)
        knob.fullScale = .volts4_096
        knob.scale = 100
        knob.offset = -135
        knob.unit = "deg"
        var configuration = ADS1115.Configuration(bus: 1, channels: [battery, knob])
        configuration.address = 0x49
        let adc = ADS1115(i2c: i2c, delay: NoDelay(), configuration: configuration)
        #expect(adc.endpoints.map(\.path) == [["battery"], ["knob"]])
        guard case .attribute(let info) = adc.endpoints[1].kind else { Issue.record("not an attribute"); return }
        #expect(info.constraints?.unit == "deg")
        #expect(info.sampled && !info.writable)
        try adc.start()
        let sample = try adc.sample()
        #expect(sample[["battery"]] == .float(6.0))
        #expect(sample[["knob"]] == .float(30.0))
        #expect(try adc.read(["knob"]) == .float(30.0))
        #expect(throws: ComponentError.self) { try adc.read(["nothing"]) }
    }

    @Test func aMissingOrFailingChipIsAHardwareError() throws {
        let i2c = SimI2CProvider()
        let bus = i2c.bus(1)
        let adc = ADS1115(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1, channels: [.init(name: "a", input: .a0)]))
        #expect { try adc.start() } throws: { ($0 as? HardwareError)?.errno == 6 }
        #expect(throws: HardwareError.self) { try adc.sample() }
        bus.attach(SimADS1115(), at: 0x48)
        try adc.start()
        bus.injectFault(at: 0x48, errno: 121)
        #expect { try adc.sample() } throws: { ($0 as? HardwareError)?.errno == 121 }
        bus.injectFault(at: 0x48, errno: nil)
        #expect(try adc.sample()[["a"]] == .float(0))
    }
}
