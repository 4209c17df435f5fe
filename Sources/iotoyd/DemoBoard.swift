/// The demo robot served when `iotoyd` runs with no board file. It is `boards/demo.yaml`,
/// compiled in so the binary needs no files beside it; a test keeps the two identical.
enum DemoBoard {
    static let fileName = "boards/demo.yaml"
    static let yaml = #"""
# The demo robot: what `iotoyd` serves, in simulation, when started with no arguments.
# A wheeled robot cat: a rover base of two motors on a motor hat's PCA9685, a leg of two servos
# on another PCA9685 hat, a tail servo and a headlight on the Pi's own PWM, an LED, a bumper
# switch, an ultrasonic distance sensor, an IMU, a battery monitor and a BME280 climate sensor.
device: robocat
help: Wheeled robot cat with a leg and a tail (demo, simulated)
server: { port: 5000 }
hardware:
  gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
  i2c1: { kind: i2c, bus: 1 }
  hat:  { kind: pca9685, i2c: i2c1, address: 0x40, frequency_hz: 50 }
  motors: { kind: pca9685, i2c: i2c1, address: 0x60, frequency_hz: 1500 }
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
  base:
    kind: differential_drive
    help: "Wheels: drive(linear, angular), stop; each motor's speed"
    left:  { in1: motors/0, in2: motors/1, ramp_per_s: 2 }
    right: { in1: motors/2, in2: motors/3, invert: true, ramp_per_s: 2 }
    failsafe_ms: 1000
  headlight: { kind: pwm_out, pwm: pwm/1, frequency_hz: 2000, help: Headlight brightness (0 to 1) }
  distance: { kind: hc_sr04, trigger: gpio/GPIO23, echo: gpio/GPIO24, poll_ms: 200, help: Distance to the obstacle ahead }
  imu:     { kind: mpu6050, i2c: i2c1, address: 0x68, poll_ms: 1000, help: "Acceleration, rotation and temperature" }
  battery: { kind: ina219, i2c: i2c1, address: 0x41, shunt_ohms: 0.1, max_current_a: 3.2, poll_ms: 1000, help: Battery voltage and current }
"""#
}
