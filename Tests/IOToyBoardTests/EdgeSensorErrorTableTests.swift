import Testing
@testable import IOToyBoard

/// The board error table's rows for the edge-timed sensors (hc_sr04, encoder): bad values,
/// claims and references, each refused at its own key with one error.
@Suite struct EdgeSensorErrorTableTests {
    static func resource(_ name: String, _ body: String, _ keyPath: String, _ message: String) -> BoardErrorTableTests.Case {
        BoardErrorTableTests.resource(name, body, keyPath, message)
    }

    static let cases: [BoardErrorTableTests.Case] = [
        resource("a ranger without its echo", "  range: ⟨{ kind: hc_sr04, trigger: gpio/GPIO23 }\n",
                 "resources.range", "missing 'echo'"),
        resource("a ranger pinging faster than every 60 ms", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, poll_ms: ⟨50 }\n",
                 "resources.range.poll_ms", "needs at least 60 ms between pings"),
        resource("a ranger's range past 10 m", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, max_cm: ⟨2000 }\n",
                 "resources.range.max_cm", "2000 must be in 10…1000 cm"),
        resource("a ranger's speed of sound in water", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, speed_of_sound: ⟨1480 }\n",
                 "resources.range.speed_of_sound", "1480 must be in 300…450 m/s"),
        resource("a ranger's speed of sound as text", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, speed_of_sound: ⟨fast }\n",
                 "resources.range.speed_of_sound", "expected a number"),
        resource("a ranger's echo on its trigger line", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: ⟨gpio/GPIO23 }\n",
                 "resources.range.echo", "echo must be another line than trigger (gpio/GPIO23)"),
        resource("a ranger's echo on a chip not declared",
                 "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: ⟨aux/GPIO24 }\n",
                 "resources.range.echo", "no hardware entry 'aux'"),
        resource("a ranger's echo on an i2c bus", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: ⟨i2c1/3 }\n",
                 "resources.range.echo", "'i2c1' is of kind i2c, not gpiochip"),
        resource("a ranger's trigger the chip lacks", "  range: { kind: hc_sr04, trigger: ⟨gpio/GPIO99, echo: gpio/GPIO24 }\n",
                 "resources.range.trigger", "'gpio' has no line 'GPIO99'"),
        resource("a ranger's echo another component holds",
                 "  bumper: { kind: gpio_in, line: gpio/GPIO24 }\n  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: ⟨gpio/GPIO24 }\n",
                 "resources.range.echo", "line gpio/GPIO24 is already used by /bumper"),
        resource("a ranger's misspelt key", "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, ⟨max_mm: 4000 }\n",
                 "resources.range.max_mm", "unknown key 'max_mm' (did you mean 'max_cm'?)"),
        resource("an encoder without b", "  wheel: ⟨{ kind: encoder, a: gpio/GPIO5 }\n",
                 "resources.wheel", "missing 'b'"),
        resource("an encoder's b on a PWM chip", "  wheel: { kind: encoder, a: gpio/GPIO5, b: ⟨pwm/0 }\n",
                 "resources.wheel.b", "'pwm' is of kind pwmchip, not gpiochip"),
        resource("an encoder's zero counts per revolution", "  wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6, counts_per_rev: ⟨0 }\n",
                 "resources.wheel.counts_per_rev", "must be above 0"),
        resource("an encoder's rate window of a minute", "  wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6, rate_window_ms: ⟨60000 }\n",
                 "resources.wheel.rate_window_ms", "60000 is outside 10…10000"),
        resource("an encoder's invert as yes", "  wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6, invert: ⟨yes }\n",
                 "resources.wheel.invert", "expected true or false, found 'yes'"),
        resource("an encoder's bad bias", "  wheel: { kind: encoder, a: gpio/GPIO5, b: gpio/GPIO6, bias: ⟨up }\n",
                 "resources.wheel.bias", "'up' is not one of as_is, disabled, pull_up, pull_down"),
        resource("an encoder line a ranger holds",
                 "  range: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24 }\n  wheel: { kind: encoder, a: ⟨gpio/GPIO23, b: gpio/GPIO6 }\n",
                 "resources.wheel.a", "line gpio/GPIO23 is already used by /range"),
    ]

    @Test(arguments: cases)
    func isRejectedAtItsPosition(_ testCase: BoardErrorTableTests.Case) throws {
        try BoardErrorTableTests().isRejectedAtItsPosition(testCase)
    }

    /// Two lines of one encoder on two gpiochip entries: one owner could not serve both.
    @Test func linesOnTwoChipsAreRefused() throws {
        try BoardErrorTableTests().isRejectedAtItsPosition(BoardErrorTableTests.Case(
            name: "an encoder across two chips",
            marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }\n  aux: { kind: gpiochip, chip: gpiochip1 }\n"
                + "resources:\n  wheel: { kind: encoder, a: gpio/GPIO5, b: ⟨aux/3 }\n",
            keyPath: "resources.wheel.b", message: "a and b must be lines of one gpiochip entry (gpio)"))
    }
}
