import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

@Suite struct ServoTests {
    func configuration() -> Servo.Configuration {
        var configuration = Servo.Configuration()
        configuration.pulseRangeUs = 500...2500
        configuration.angleRange = 0...180
        configuration.limits = 20...160
        configuration.initial = 90
        return configuration
    }

    func servo(_ configuration: Servo.Configuration) throws -> (Servo, SimPWMChip) {
        let chip = SimPWMChip(name: "pwmchip0", channelCount: 2)
        let provider = SimPWMProvider()
        provider.add(chip)
        return (Servo(configuration: configuration) { try provider.openChannel(chip: "pwmchip0", channel: 0) }, chip)
    }

    @Test(arguments: [(0.0, 500_000 as UInt64), (90, 1_500_000), (180, 2_500_000), (45, 1_000_000)])
    func angleMapsLinearlyOntoPulseWidth(angle: Double, pulseNs: UInt64) {
        #expect(configuration().pulseNs(forAngle: angle) == pulseNs)
    }

    @Test func startsAtInitialAndMovesWithinLimits() throws {
        let (servo, chip) = try servo(configuration())
        try servo.start()
        #expect(chip.state(of: 0) == PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true))
        try servo.write([], value: .float(45))
        #expect(chip.state(of: 0)?.dutyNs == 1_000_000)
        #expect(try servo.read([]) == .float(45))
    }

    @Test func outsideTheLimitsIsRejectedAndTheChannelUntouched() throws {
        let (servo, chip) = try servo(configuration())
        try servo.start()
        let before = chip.history.count
        #expect { try servo.write([], value: .float(170)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try servo.write([], value: .float(19.9)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect(chip.history.count == before)
        #expect(try servo.read([]) == .float(90))
    }

    @Test func safeStateStopsPulsesAndStopReleases() throws {
        let (servo, chip) = try servo(configuration())
        try servo.start()
        try servo.enterSafeState()
        #expect(chip.state(of: 0)?.enabled == false)
        servo.stop()
        #expect(throws: HardwareError.self) { try servo.write([], value: .float(90)) }
        try servo.start()   // restartable: the channel was given back
        #expect(chip.state(of: 0)?.enabled == true)
    }

    @Test func configurationProblemsNameTheirKey() {
        var bad = configuration()
        bad.limits = 10...200
        bad.pulseRangeUs = 500...25_000
        bad.initial = 5
        let keys = bad.problems().map(\.key)
        #expect(keys.contains("limits"))
        #expect(keys.contains("pulse_us"))
        #expect(keys.contains("initial"))
        #expect(configuration().problems().isEmpty)
    }

    @Test func runsUnchangedOnAPCA9685Channel() throws {
        let i2c = SimI2CProvider()
        let model = SimPCA9685()
        i2c.bus(1).attach(model, at: 0x40)
        let chip = PCA9685(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        #expect(chip.configuration.prescale == 121)
        let servo = Servo(configuration: configuration()) { try chip.openChannel(3) }
        try servo.start()
        #expect(!model.isSleeping)
        #expect(abs(model.periodNs - 19_988_480) < 1)
        #expect(abs(model.pulseWidthNs(channel: 3) - 1_500_000) < 5_000)   // one tick is 4.9 µs
        try servo.write([], value: .float(160))
        #expect(abs(model.pulseWidthNs(channel: 3) - 2_277_778) < 5_000)
        #expect(throws: HardwareError.self) { try chip.openChannel(3) }
        servo.stop()
        #expect(model.pulseWidthNs(channel: 3) == 0)
        _ = try chip.openChannel(3)
    }

    @Test func pca9685RefusesAPeriodItDoesNotRun() throws {
        let i2c = SimI2CProvider()
        i2c.bus(1).attach(SimPCA9685(), at: 0x40)
        let chip = PCA9685(i2c: i2c, delay: NoDelay(), configuration: .init(bus: 1))
        let channel = try chip.openChannel(0)
        #expect(throws: HardwareError.self) { try channel.apply(PWMState(periodNs: 10_000_000, dutyNs: 1_000_000, enabled: true)) }
    }
}

/// The servo's newer settings: invert, trim, continuous rotation and slew.
@Suite struct ServoMotionTests {
    func servo(_ configure: (inout Servo.Configuration) -> Void) throws -> (Servo, SimPWMChip) {
        var configuration = Servo.Configuration()
        configure(&configuration)
        let chip = SimPWMChip(name: "pwmchip0", channelCount: 1)
        let provider = SimPWMProvider()
        provider.add(chip)
        return (Servo(configuration: configuration) { try provider.openChannel(chip: "pwmchip0", channel: 0) }, chip)
    }

    @Test func invertMirrorsTheAngleAndTrimShiftsItWithinThePulseRange() {
        var configuration = Servo.Configuration()
        configuration.invert = true
        #expect(configuration.pulseNs(forAngle: 30) == 2_166_667)    // as 150°
        configuration.invert = false
        configuration.trimDeg = 5
        #expect(configuration.pulseNs(forAngle: 90) == 1_555_556)    // as 95°
        #expect(configuration.pulseNs(forAngle: 180) == 2_500_000)   // never past the longest pulse
    }

    @Test func aContinuousServoRunsAroundItsStopPulse() throws {
        var configuration = Servo.Configuration()
        configuration.continuous = true
        configuration.stopUs = 1_520
        #expect(configuration.pulseNs(forAngle: 0) == 1_520_000)
        #expect(configuration.pulseNs(forAngle: 1) == 2_500_000)
        #expect(configuration.pulseNs(forAngle: -1) == 500_000)
        #expect(configuration.pulseNs(forAngle: -0.5) == 1_010_000)
        configuration.invert = true
        #expect(configuration.pulseNs(forAngle: 1) == 500_000)
        #expect(configuration.problems().isEmpty)
        let (wheel, chip) = try servo { $0.continuous = true }
        try wheel.start()
        #expect(chip.state(of: 0)?.dutyNs == 1_500_000)              // starts stopped
        #expect { try wheel.write([], value: .float(1.5)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        try wheel.write([], value: .float(0.5))
        #expect(chip.state(of: 0)?.dutyNs == 2_000_000)
        #expect(wheel.endpoints.first?.path == [])
    }

    @Test func aSlewMovesAtMostItsSpeedAndTheSafeStateStopsIt() throws {
        let (arm, chip) = try servo { $0.maxSpeedDps = 60; $0.initial = 90 }
        try arm.start()
        #expect(arm.endpoints.map(\.path) == [["angle"], ["position"]])
        try arm.write(["angle"], value: .float(0))
        #expect(try arm.read(["angle"]) == .float(0))
        #expect(try arm.read(["position"]) == .float(90))
        #expect(chip.state(of: 0)?.dutyNs == 1_500_000)
        #expect(arm.nextStep() == .milliseconds(20))
        #expect(try arm.advance(to: .seconds(1)).isEmpty)               // the clock starts
        #expect(try arm.advance(to: .seconds(2)) == [ComponentEvent(path: ["position"], value: .float(30))])
        #expect(chip.state(of: 0)?.dutyNs == 833_333)
        // A new target mid-slew: it turns back at the same speed.
        try arm.write(["angle"], value: .float(45))
        #expect(try arm.advance(to: .seconds(2) + .milliseconds(100)) == [ComponentEvent(path: ["position"], value: .float(36))])
        try arm.enterSafeState()
        #expect(chip.state(of: 0)?.enabled == false)
        #expect(arm.nextStep() == nil)
        #expect(try arm.read(["angle"]) == .float(36))
    }

    @Test func theNewSettingsNameTheirKeyWhenWrong() {
        var configuration = Servo.Configuration()
        configuration.continuous = true
        configuration.maxSpeedDps = 90
        configuration.stopUs = 3_000
        configuration.limits = -2...1
        #expect(Set(configuration.problems().map(\.key)) == ["max_speed_dps", "stop_us", "limits"])
        var positional = Servo.Configuration()
        positional.stopUs = 1_500
        positional.trimDeg = 50
        #expect(Set(positional.problems().map(\.key)) == ["stop_us", "trim_deg"])
    }
}
