/// The demo robot served when `iotoyd` runs with no board file. It is `boards/demo.yaml`,
/// compiled in so the binary needs no files beside it; a test keeps the two identical.
enum DemoBoard {
    static let fileName = "boards/demo.yaml"
    static let yaml = #"""
# The demo robot: what `iotoyd` serves, in simulation, when started with no arguments.
# Every kind of the foundation is here: a leg of two servos on a PCA9685 hat, a tail servo on
# the Pi's own PWM, an LED, a bumper switch and a BME280 climate sensor.
device: robocat
help: Four-legged robot cat (demo, simulated)
server: { port: 5000 }
hardware:
  gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
  i2c1: { kind: i2c, bus: 1 }
  hat:  { kind: pca9685, i2c: i2c1, address: 0x40, frequency_hz: 50 }
  pwm:  { kind: pwmchip, chip: pwmchip0, channels: 2 }
resources:
  front_left_leg:
    help: Front left leg
    lift:  { kind: servo, pwm: hat/0, pulse_us: [500, 2500], angle: [0, 180], limits: [20, 160], initial: 90, help: Lift the leg (degrees) }
    swing: { kind: servo, pwm: hat/1, pulse_us: [500, 2500], angle: [0, 180], initial: 90, help: Swing the leg forward and back (degrees) }
  tail:    { kind: servo, pwm: pwm/0, pulse_us: [1000, 2000], angle: [-45, 45], initial: 0, help: Tail position (degrees) }
  eyes:    { kind: gpio_out, line: gpio/GPIO17, help: Eye LEDs }
  bumper:  { kind: gpio_in, line: gpio/GPIO27, bias: pull_up, active_low: true, debounce_ms: 10, help: Front bumper switch (true when pressed) }
  climate: { kind: bme280, i2c: i2c1, address: 0x76, poll_ms: 1000, help: "Temperature, pressure and humidity" }
"""#
}
