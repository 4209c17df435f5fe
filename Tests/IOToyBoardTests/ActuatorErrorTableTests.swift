import Testing
@testable import IOToyBoard

/// The board error table's rows for the actuators (motor, differential_drive, pwm_out, the
/// servo's slew and continuous settings): each refused at its own key, with one error.
@Suite struct ActuatorErrorTableTests {
    static func resource(_ name: String, _ body: String, _ keyPath: String, _ message: String) -> BoardErrorTableTests.Case {
        BoardErrorTableTests.resource(name, body, keyPath, message)
    }

    static let cases: [BoardErrorTableTests.Case] = [
        resource("a motor wired both ways", "  wheel: { kind: motor, pwm: ⟨pwm/0, in1: hat/0, in2: hat/1 }\n",
                 "resources.wheel.pwm", "'pwm' belongs to the pwm + dir wiring"),
        resource("a motor without its direction input", "  wheel: ⟨{ kind: motor, pwm: pwm/0 }\n",
                 "resources.wheel", "missing 'dir'"),
        resource("a motor's inputs on two chips", "  wheel: { kind: motor, in1: pwm/0, in2: ⟨hat/1 }\n",
                 "resources.wheel.in2", "in1 and in2 must be channels of one chip (pwm)"),
        resource("a motor's limits that exclude stopping", "  wheel: { kind: motor, in1: pwm/0, in2: pwm/1, limits: ⟨[0.2, 0.9] }\n",
                 "resources.wheel.limits", "must lie within [-1, 1] and include 0"),
        resource("a motor's limits past full scale", "  wheel: { kind: motor, in1: pwm/0, in2: pwm/1, limits: ⟨[-1, 1.5] }\n",
                 "resources.wheel.limits", "is outside -1.0…1.0"),
        resource("a motor at another frequency than its PCA9685", "  wheel: { kind: motor, in1: hat/0, in2: hat/1, frequency_hz: ⟨20000 }\n",
                 "resources.wheel.frequency_hz", "differs from hat's frequency_hz"),
        resource("a motor's unknown safe state", "  wheel: { kind: motor, in1: pwm/0, in2: pwm/1, safe: ⟨stop }\n",
                 "resources.wheel.safe", "'stop' is not one of coast, brake"),
        resource("a motor's negative ramp", "  wheel: { kind: motor, in1: pwm/0, in2: pwm/1, ramp_per_s: ⟨-2 }\n",
                 "resources.wheel.ramp_per_s", "must be in 0…1000"),
        resource("a direction line the chip lacks", "  wheel: { kind: motor, pwm: pwm/0, dir: ⟨gpio/GPIO99 }\n",
                 "resources.wheel.dir", "'gpio' has no line 'GPIO99'"),
        resource("a direction line another component holds",
                 "  eyes: { kind: gpio_out, line: gpio/GPIO5 }\n  wheel: { kind: motor, pwm: pwm/0, dir: ⟨gpio/GPIO5 }\n",
                 "resources.wheel.dir", "line gpio/GPIO5 is already used by /eyes"),
        resource("a standby on an i2c bus", "  wheel: { kind: motor, pwm: pwm/0, dir: gpio/GPIO5, standby: ⟨i2c1/3 }\n",
                 "resources.wheel.standby", "'i2c1' is of kind i2c, not gpiochip or pwmchip or pca9685"),
        resource("a base whose motors need two owners",
                 "  base: { kind: differential_drive, left: { in1: pwm/0, in2: pwm/1 }, right: ⟨{ in1: hat/0, in2: hat/1 } }\n",
                 "resources.base.right", "put both motors' PWM inputs on one chip"),
        resource("a base's misspelt motor key",
                 "  base: { kind: differential_drive, left: { in1: hat/0, in2: hat/1, ⟨rmap_per_s: 2 }, right: { in1: hat/2, in2: hat/3 } }\n",
                 "resources.base.left.rmap_per_s", "unknown key 'rmap_per_s' (did you mean 'ramp_per_s'?)"),
        resource("a base without its right motor", "  base: ⟨{ kind: differential_drive, left: { in1: hat/0, in2: hat/1 } }\n",
                 "resources.base", "missing 'right'"),
        resource("a base's motors sharing a channel",
                 "  base: { kind: differential_drive, left: { in1: hat/0, in2: hat/1 }, right: { in1: hat/2, in2: ⟨hat/1 } }\n",
                 "resources.base.right.in2", "pwm hat/1 is already used by /base"),
        resource("a stop pulse on a positional servo", "  tail: { kind: servo, pwm: pwm/0, stop_us: ⟨1500 }\n",
                 "resources.tail.stop_us", "only a continuous servo"),
        resource("a slew on a continuous servo", "  wheel: { kind: servo, pwm: pwm/0, continuous: true, max_speed_dps: ⟨90 }\n",
                 "resources.wheel.max_speed_dps", "a continuous servo has a speed"),
        resource("a servo's trim past 45°", "  tail: { kind: servo, pwm: pwm/0, trim_deg: ⟨60 }\n",
                 "resources.tail.trim_deg", "must be within ±45°"),
        resource("a continuous servo's speed limits past full scale", "  wheel: { kind: servo, pwm: pwm/0, continuous: true, limits: ⟨[-2, 1] }\n",
                 "resources.wheel.limits", "outside the speed range"),
        resource("a PWM output's duty limits past 1", "  led: { kind: pwm_out, pwm: pwm/0, limits: ⟨[0, 1.5] }\n",
                 "resources.led.limits", "is outside 0.0…1.0"),
        resource("a PWM output starting outside its limits", "  led: { kind: pwm_out, pwm: pwm/0, limits: [0.2, 0.8], initial: ⟨0.9 }\n",
                 "resources.led.initial", "lies outside the limits"),
        resource("a PWM output's impossible frequency", "  led: { kind: pwm_out, pwm: pwm/0, frequency_hz: ⟨0 }\n",
                 "resources.led.frequency_hz", "must be in 1…1000000 Hz"),
    ]

    @Test(arguments: cases)
    func isRejectedAtItsPosition(_ testCase: BoardErrorTableTests.Case) throws {
        try BoardErrorTableTests().isRejectedAtItsPosition(testCase)
    }
}
