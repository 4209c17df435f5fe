import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

/// A motor on simulated PWM channels and lines: what each input is driven at, in what order.
@Suite struct MotorTests {
    static let periodNs: UInt64 = 50_000   // 20 kHz

    /// A TB6612-style motor: speed PWM on channel 0, direction on channel 1 held at 0/100 %,
    /// standby on a GPIO line; all writes to the pwmchip recorded in one history.
    func pwmDirectionMotor(_ configure: (inout Motor.Configuration) -> Void = { _ in })
        -> (Motor, SimPWMChip, SimGPIOChip)
    {
        let pwm = SimPWMProvider()
        let chip = SimPWMChip(name: "pwmchip0", channelCount: 2)
        pwm.add(chip)
        let line = SimGPIOChip(name: "gpiochip0", label: "pinctrl-bcm2711", lineNames: ["GPIO5"])
        let gpio = SimGPIOProvider(chips: [line])
        var configuration = Motor.Configuration(wiring: .pwmAndDirection)
        configure(&configuration)
        let inputs = Motor.Inputs(
            first: { try pwm.openChannel(chip: "pwmchip0", channel: 0) },
            direction: .pwm(periodNs: Self.periodNs) { try pwm.openChannel(chip: "pwmchip0", channel: 1) },
            standby: .line(gpio: gpio, chip: .label("pinctrl-bcm2711"), line: .name("GPIO5"), consumer: "iotoyd:test"))
        return (Motor(configuration: configuration, inputs: inputs), chip, line)
    }

    /// A DRV8833-style motor: IN1 on channel 0, IN2 on channel 1.
    func twoInputMotor(_ configure: (inout Motor.Configuration) -> Void = { _ in }) -> (Motor, SimPWMChip) {
        let pwm = SimPWMProvider()
        let chip = SimPWMChip(name: "pwmchip0", channelCount: 2)
        pwm.add(chip)
        var configuration = Motor.Configuration(wiring: .twoInputs)
        configure(&configuration)
        let inputs = Motor.Inputs(
            first: { try pwm.openChannel(chip: "pwmchip0", channel: 0) },
            second: { try pwm.openChannel(chip: "pwmchip0", channel: 1) })
        return (Motor(configuration: configuration, inputs: inputs), chip)
    }

    func duty(_ chip: SimPWMChip, _ channel: Int) -> Double? {
        chip.state(of: channel).map { Double($0.dutyNs) / Double($0.periodNs) }
    }

    @Test func startsCoastingThenDrivesBothWaysAt20kHz() throws {
        let (motor, chip, line) = pwmDirectionMotor()
        try motor.start()
        #expect(duty(chip, 0) == 0)
        #expect(line.physicalLevel(line: .name("GPIO5")) == false)   // standby off: coasting
        try motor.write(["speed"], value: .float(0.5))
        #expect(chip.state(of: 0) == PWMState(periodNs: 50_000, dutyNs: 25_000, enabled: true))
        #expect(duty(chip, 1) == 1)                                      // forward
        #expect(line.physicalLevel(line: .name("GPIO5")) == true)
        try motor.write(["speed"], value: .float(-0.25))
        #expect(duty(chip, 0) == 0.25)
        #expect(duty(chip, 1) == 0)                                      // reverse
        #expect(try motor.read(["speed"]) == .float(-0.25))
        #expect(try motor.read(["applied_speed"]) == .float(-0.25))
    }

    /// The speed input goes to 0 before the direction input flips, never after.
    @Test func theDirectionFlipsOnlyWithThePWMAtZero() throws {
        let (motor, chip, _) = pwmDirectionMotor()
        try motor.start()
        try motor.write(["speed"], value: .float(0.8))
        let mark = chip.history.count
        try motor.write(["speed"], value: .float(-0.8))
        let writes = chip.history.dropFirst(mark).map { ($0.channel, Double($0.state.dutyNs) / Double($0.state.periodNs)) }
        #expect(writes.map(\.0) == [0, 1, 0])
        #expect(writes.map(\.1) == [0, 0, 0.8])
    }

    @Test func invertSwapsTheDirection() throws {
        let (motor, chip, _) = pwmDirectionMotor { $0.invert = true }
        try motor.start()
        try motor.write(["speed"], value: .float(0.5))
        #expect(duty(chip, 1) == 0)
        #expect(duty(chip, 0) == 0.5)
    }

    @Test func brakeKeepsStandbyOnAndCoastLetsGo() throws {
        let (motor, chip, line) = pwmDirectionMotor()
        try motor.start()
        try motor.write(["speed"], value: .float(1))
        _ = try motor.call(["brake"], arguments: [])
        #expect(duty(chip, 0) == 0)
        #expect(line.physicalLevel(line: .name("GPIO5")) == true)
        #expect(try motor.read(["speed"]) == .float(0))
        try motor.write(["speed"], value: .float(1))
        _ = try motor.call(["coast"], arguments: [])
        #expect(duty(chip, 0) == 0)
        #expect(line.physicalLevel(line: .name("GPIO5")) == false)
    }

    @Test func twoInputsDriveOneSideAndBrakeOrCoastWithBoth() throws {
        let (motor, chip) = twoInputMotor { $0.safe = .brake }
        try motor.start()
        #expect(duty(chip, 0) == 1 && duty(chip, 1) == 1)   // starts in its safe state: braked
        try motor.write(["speed"], value: .float(0.75))
        #expect(duty(chip, 0) == 0.75 && duty(chip, 1) == 0)
        try motor.write(["speed"], value: .float(-0.5))
        #expect(duty(chip, 0) == 0 && duty(chip, 1) == 0.5)
        _ = try motor.call(["coast"], arguments: [])
        #expect(duty(chip, 0) == 0 && duty(chip, 1) == 0)
        try motor.write(["speed"], value: .float(0.5))
        try motor.enterSafeState()
        #expect(duty(chip, 0) == 1 && duty(chip, 1) == 1)
    }

    @Test func aSpeedOutsideTheLimitsIsRefusedBeforeAnyWrite() throws {
        let (motor, chip) = twoInputMotor { $0.limits = -0.5...0.8 }
        try motor.start()
        let before = chip.history.count
        #expect { try motor.write(["speed"], value: .float(0.9)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try motor.write(["speed"], value: .float(-0.6)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try motor.write(["applied_speed"], value: .float(0)) } throws: { ($0 as? ComponentError)?.kind == .readOnly }
        #expect(chip.history.count == before)
        #expect(motor.endpoints.contains { $0.path == ["speed"] })
    }

    /// Ramp 2/s: from 0 to 1 takes half a second; the first step after the command only
    /// starts the clock; the safe state cuts the ramp at once.
    @Test func aRampApproachesTheTargetAtItsRateAndTheSafeStateEndsIt() throws {
        let (motor, chip) = twoInputMotor { $0.rampPerS = 2 }
        try motor.start()
        try motor.write(["speed"], value: .float(1))
        #expect(duty(chip, 0) == 0)
        #expect(motor.nextStep() == .milliseconds(20))
        #expect(try motor.advance(to: .seconds(10)).isEmpty)
        let events = try motor.advance(to: .seconds(10) + .milliseconds(100))
        #expect(events == [ComponentEvent(path: ["applied_speed"], value: .float(0.2))])
        #expect(abs((duty(chip, 0) ?? 0) - 0.2) < 1e-9)
        _ = try motor.advance(to: .seconds(11))
        #expect(duty(chip, 0) == 1)
        #expect(motor.nextStep() == nil)
        try motor.write(["speed"], value: .float(-1))
        _ = try motor.advance(to: .seconds(12))
        _ = try motor.advance(to: .seconds(12) + .milliseconds(250))   // 1 → 0.5
        #expect(try motor.read(["applied_speed"]) == .float(0.5))
        try motor.enterSafeState()
        #expect(duty(chip, 0) == 0 && duty(chip, 1) == 0)
        #expect(motor.nextStep() == nil)
        #expect(try motor.read(["speed"]) == .float(0))
    }

    @Test func aFailingInputReleasesWhatWasOpened() throws {
        let pwm = SimPWMProvider()
        pwm.add(SimPWMChip(name: "pwmchip0", channelCount: 1))
        let inputs = Motor.Inputs(
            first: { try pwm.openChannel(chip: "pwmchip0", channel: 0) },
            second: { try pwm.openChannel(chip: "pwmchip0", channel: 1) })   // no such channel
        let motor = Motor(configuration: .init(wiring: .twoInputs), inputs: inputs)
        #expect(throws: HardwareError.self) { try motor.start() }
        // Channel 0 was given back: it opens again.
        let again = try pwm.openChannel(chip: "pwmchip0", channel: 0)
        again.release()
    }

    @Test func configurationProblemsNameTheirKey() {
        var configuration = Motor.Configuration(wiring: .twoInputs)
        configuration.limits = 0.2...0.9
        configuration.rampPerS = -1
        configuration.frequencyHz = 0
        #expect(Set(configuration.problems().map(\.key)) == ["limits", "ramp_per_s", "frequency_hz"])
        #expect(Motor.Configuration(wiring: .pwmAndDirection).problems().isEmpty)
    }
}
