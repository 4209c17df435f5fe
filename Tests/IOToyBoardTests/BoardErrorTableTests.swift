import Foundation
import Testing
@testable import IOToyBoard

/// Every bad board file is refused with the right line, column and key path, and nothing else.
@Suite struct BoardErrorTableTests {
    static let header = """
        device: robocat
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          i2c1: { kind: i2c, bus: 1 }
          hat:  { kind: pca9685, i2c: i2c1, address: 0x40 }
          pwm:  { kind: pwmchip, chip: pwmchip0 }
        resources:

        """

    static let serialHeader = "device: cat\nhardware:\n  nano: { kind: serial, port: /dev/ttyUSB0 }\nresources:\n"

    /// A bad board file: `⟨` marks where the error must point (it is removed before parsing).
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let marked: String
        let keyPath: String
        let message: String
        var testDescription: String { name }

        var yaml: String { marked.replacingOccurrences(of: "⟨", with: "") }

        /// The 1-based line and column of the marker.
        var position: (line: Int, column: Int) {
            let before = marked[..<marked.range(of: "⟨")!.lowerBound]
            let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.count, lines.last!.unicodeScalars.count + 1)
        }
    }

    static func resource(_ name: String, _ body: String, _ keyPath: String, _ message: String) -> Case {
        Case(name: name, marked: header + body, keyPath: keyPath, message: message)
    }

    static let cases: [Case] = [
        resource("typo in a key", "  eyes: { kind: gpio_out, ⟨lnie: gpio/GPIO17 }\n", "resources.eyes.lnie", "unknown key 'lnie' (did you mean 'line'?)"),
        resource("missing key", "  eyes: ⟨{ kind: gpio_out, initial: true }\n", "resources.eyes", "missing 'line'"),
        resource("unknown key is reported", "  eyes: { kind: gpio_out, line: gpio/GPIO17, ⟨colour: red }\n",
                 "resources.eyes.colour", "unknown key 'colour'"),
        resource("unknown kind", "  eyes: { kind: ⟨gpio_output, line: gpio/GPIO17 }\n",
                 "resources.eyes.kind", "unknown component kind 'gpio_output'"),
        resource("missing hardware entry", "  eyes: { kind: gpio_out, line: ⟨gpio2/GPIO17 }\n",
                 "resources.eyes.line", "no hardware entry 'gpio2'"),
        resource("wrong hardware kind", "  eyes: { kind: gpio_out, line: ⟨i2c1/GPIO17 }\n",
                 "resources.eyes.line", "'i2c1' is of kind i2c, not gpiochip"),
        resource("two components on one line",
                 "  eyes: { kind: gpio_out, line: gpio/GPIO17 }\n  nose: { kind: gpio_in, line: ⟨gpio/GPIO17 }\n",
                 "resources.nose.line", "line gpio/GPIO17 is already used by /eyes (line 8)"),
        resource("two servos on one channel", "  a: { kind: servo, pwm: hat/0 }\n  b: { kind: servo, pwm: ⟨hat/0 }\n",
                 "resources.b.pwm", "pwm hat/0 is already used by /a"),
        resource("sensor on the PCA9685's address", "  climate: { kind: bme280, i2c: i2c1, address: ⟨0x40 }\n",
                 "resources.climate.address", "a BME280 answers only at 0x76"),
        resource("two sensors on one address", "  a: { kind: bme280, i2c: i2c1 }\n  b: { kind: bme280, i2c: i2c1, address: ⟨0x76 }\n",
                 "resources.b.address", "i2c-1 address 0x76 is already used by /a"),
        resource("limits outside the angle range", "  lift: { kind: servo, pwm: hat/0, angle: [0, 180], limits: ⟨[20, 200] }\n",
                 "resources.lift.limits", "lies outside the angle range"),
        resource("initial outside the limits", "  lift: { kind: servo, pwm: hat/0, limits: [20, 160], initial: ⟨10 }\n",
                 "resources.lift.initial", "lies outside the limits"),
        resource("reversed pair", "  lift: { kind: servo, pwm: hat/0, pulse_us: ⟨[2500, 500] }\n",
                 "resources.lift.pulse_us", "low < high"),
        resource("channel out of range", "  lift: { kind: servo, pwm: ⟨hat/16 }\n", "resources.lift.pwm", "must be 0…15"),
        resource("servo frequency unlike its PCA9685", "  lift: { kind: servo, pwm: hat/0, frequency_hz: ⟨60 }\n",
                 "resources.lift.frequency_hz", "share one frequency"),
        resource("YAML 1.1 boolean as a bool setting", "  eyes: { kind: gpio_out, line: gpio/GPIO17, initial: ⟨yes }\n",
                 "resources.eyes.initial", "expected true or false, found 'yes'"),
        resource("bad bias", "  b: { kind: gpio_in, line: gpio/GPIO27, bias: ⟨up }\n",
                 "resources.b.bias", "'up' is not one of as_is, disabled, pull_up, pull_down"),
        resource("reserved devinfo", "  ⟨devinfo: { kind: gpio_out, line: gpio/GPIO17 }\n", "resources.devinfo", "'devinfo' is reserved"),
        resource("invalid resource name", "  ⟨front-leg: { kind: gpio_out, line: gpio/GPIO17 }\n",
                 "resources.front-leg", "not a valid resource name"),
        resource("scalar where a resource belongs", "  eyes: ⟨17\n", "resources.eyes", "expected a component"),
        resource("typo inside a nested directory", "  leg:\n    help: A leg\n    lift: { kind: servo, pwm: hat/0, ⟨limts: [20, 160] }\n",
                 "resources.leg.lift.limts", "did you mean 'limits'?"),
        resource("a line the Pi 4 does not have", "  eyes: { kind: gpio_out, line: ⟨gpio/GPI017 }\n",
                 "resources.eyes.line", "'gpio' has no line 'GPI017' (did you mean 'GPIO17'?)"),
        resource("an offset beyond the Pi 4's lines", "  b: { kind: gpio_in, line: ⟨gpio/58 }\n",
                 "resources.b.line", "'gpio' has lines 0…57, not 58"),
        Case(name: "a line the board's own list does not have",
             marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: gpio-sim, lines: [LED, BUTTON] }\n"
                 + "resources:\n  b: { kind: gpio_in, line: ⟨gpio/BUTTN }\n",
             keyPath: "resources.b.line", message: "'gpio' has no line 'BUTTN' (did you mean 'BUTTON'?)"),
        Case(name: "a line named twice in a chip's list",
             marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: gpio-sim, lines: [LED, \"\", ⟨LED] }\nresources: {}\n",
             keyPath: "hardware.gpio.lines.2", message: "'LED' names line 0 already"),
        resource("a failsafe that is not milliseconds", "  lift: { kind: servo, pwm: hat/0, failsafe_ms: ⟨soon }\n",
                 "resources.lift.failsafe_ms", "'soon' is not an integer"),
        resource("a failsafe too short", "  eyes: { kind: gpio_out, line: gpio/GPIO17, failsafe_ms: ⟨5 }\n",
                 "resources.eyes.failsafe_ms", "outside 10…3600000"),
        resource("a safe angle outside the limits", "  lift: { kind: servo, pwm: hat/0, limits: [20, 160], safe: ⟨10 }\n",
                 "resources.lift.safe", "lies outside the limits"),
        Case(name: "a serial failsafe without a safe_state function",
             marked: serialHeader + "  base: { kind: iotoy_serial, serial: nano, failsafe_ms: ⟨500 }\n",
             keyPath: "resources.base.failsafe_ms", message: "needs the device's safe_state"),
        Case(name: "octal port", marked: "device: cat\nserver: { port: ⟨010 }\nresources: {}\n",
             keyPath: "server.port", message: "leading zero"),
        Case(name: "device id not DNS-safe", marked: "device: ⟨robo-cat\nresources: {}\n",
             keyPath: "device", message: "not a valid IOTOY device id"),
        Case(name: "device id that YAML reads as a boolean", marked: "device: ⟨yes\nresources: {}\n",
             keyPath: "device", message: "is a boolean in YAML 1.1"),
        Case(name: "missing device", marked: "⟨resources: {}\n", keyPath: "", message: "missing 'device'"),
        Case(name: "unknown top-level key", marked: "device: cat\n⟨resorces: {}\n",
             keyPath: "resorces", message: "did you mean 'resources'?"),
        Case(name: "bare chip number", marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: ⟨0 }\nresources: {}\n",
             keyPath: "hardware.gpio.chip", message: "bare number"),
        Case(name: "unknown hardware kind", marked: "device: cat\nhardware:\n  spi0: { kind: ⟨spi, bus: 0 }\nresources: {}\n",
             keyPath: "hardware.spi0.kind", message: "unknown hardware kind 'spi'"),
        Case(name: "bad I2C address",
             marked: "device: cat\nhardware:\n  i2c1: { kind: i2c, bus: 1 }\n  hat: { kind: pca9685, i2c: i2c1, address: ⟨0x80 }\nresources: {}\n",
             keyPath: "hardware.hat.address", message: "outside 3…119"),
        Case(name: "odd baud rate", marked: "device: cat\nhardware:\n  nano: { kind: serial, port: /dev/ttyUSB0, baud: ⟨12345 }\nresources: {}\n",
             keyPath: "hardware.nano.baud", message: "not a standard baud rate"),
        Case(name: "serial component naming a non-serial entry",
             marked: "device: cat\nhardware:\n  i2c1: { kind: i2c, bus: 1 }\nresources:\n  base: { kind: iotoy_serial, serial: ⟨i2c1 }\n",
             keyPath: "resources.base.serial", message: "'i2c1' is of kind i2c, not serial"),
        Case(name: "serial function timeout that is not a number",
             marked: serialHeader + "  base: { kind: iotoy_serial, serial: nano, timeouts_ms: { forward: ⟨slow } }\n",
             keyPath: "resources.base.timeouts_ms.forward", message: "slow"),
        Case(name: "serial function timeout with a bad name",
             marked: serialHeader + "  base: { kind: iotoy_serial, serial: nano, timeouts_ms: { ⟨go-fast: 100 } }\n",
             keyPath: "resources.base.timeouts_ms.go-fast", message: "not a function name"),
        Case(name: "serial timeout too short",
             marked: serialHeader + "  base: { kind: iotoy_serial, serial: nano, timeout_ms: ⟨0 }\n",
             keyPath: "resources.base.timeout_ms", message: "outside 10…600000"),
        Case(name: "unknown simulated device",
             marked: serialHeader + "  base: { kind: iotoy_serial, serial: nano, simulate: ⟨toaster }\n",
             keyPath: "resources.base.simulate", message: "simulate must be one of testhost, bothost, legcontroller"),
        Case(name: "two devices on one port",
             marked: serialHeader + "  a: { kind: iotoy_serial, serial: nano }\n  b: { kind: iotoy_serial, serial: ⟨nano }\n",
             keyPath: "resources.b.serial", message: "serial nano"),
        Case(name: "duplicate key, at the second occurrence", marked: "device: cat\n⟨device: dog\nresources: {}\n", keyPath: "",
             message: "duplicate key 'device' (first at line 1, column 1)"),
        Case(name: "duplicate key in a flow mapping",
             marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, ⟨kind: i2c, chip: x }\nresources: {}\n", keyPath: "",
             message: "duplicate key 'kind' (first at line 3"),
        Case(name: "tab in indentation", marked: "device: cat\nresources:\n⟨\teyes: {}\n", keyPath: "",
             message: "YAML forbids tabs for indentation"),
        resource("a bad sensor address leaves its other keys known",
                 "  climate: { kind: bme280, i2c: i2c1, address: ⟨0x40, poll_ms: 500 }\n",
                 "resources.climate.address", "a BME280 answers only at 0x76"),
        Case(name: "a bad bus number is the one error, not every user's",
             marked: "device: cat\nhardware:\n  i2c1: { kind: i2c, bus: ⟨i2c-1 }\n  hat: { kind: pca9685, i2c: i2c1, address: 0x41 }\n"
                 + "resources:\n  climate: { kind: bme280, i2c: i2c1, address: 0x76, poll_ms: 500 }\n  lift: { kind: servo, pwm: hat/0 }\n",
             keyPath: "hardware.i2c1.bus", message: "'i2c-1' is not an integer"),
        Case(name: "a bad chip entry is the one error, not every line's",
             marked: "device: cat\nhardware:\n  gpio: { kind: gpiochip, chip: ⟨0 }\n"
                 + "resources:\n  eyes: { kind: gpio_out, line: gpio/GPIO17, initial: true }\n  b: { kind: gpio_in, line: gpio/GPIO27 }\n",
             keyPath: "hardware.gpio.chip", message: "bare number"),
        resource("a resource where GET /metrics answers", "  ⟨metrics: { kind: gpio_in, line: gpio/GPIO27 }\n",
                 "resources.metrics", "'metrics' is where GET /metrics serves"),
        Case(name: "metrics is a yes or no", marked: "device: cat\nserver: { metrics: ⟨maybe }\nresources: {}\n",
             keyPath: "server.metrics", message: "true or false"),
        Case(name: "a sensor on a PCA9685 entry's address",
             marked: "device: cat\nhardware:\n  i2c1: { kind: i2c, bus: 1 }\n  hat: { kind: pca9685, i2c: i2c1, address: 0x76 }\n"
                 + "resources:\n  climate: { kind: bme280, i2c: i2c1, address: ⟨0x76 }\n",
             keyPath: "resources.climate.address", message: "i2c-1 address 0x76 is already used by hardware.hat (line 4)"),
        resource("an ADS1115 at an address it cannot have",
                 "  adc: { kind: ads1115, i2c: i2c1, address: ⟨0x50, channels: { a: { input: a0 } } }\n",
                 "resources.adc.address", "an ADS1115 answers only at 0x48…0x4b"),
        resource("an ADS1115 without channels", "  adc: ⟨{ kind: ads1115, i2c: i2c1 }\n", "resources.adc", "missing 'channels'"),
        resource("an ADS1115 with an empty channel list", "  adc: { kind: ads1115, i2c: i2c1, channels: ⟨{} }\n",
                 "resources.adc.channels", "an ads1115 needs at least one channel"),
        resource("an ADS1115 input it does not have", "  adc: { kind: ads1115, i2c: i2c1, channels: { a: { input: ⟨a4 } } }\n",
                 "resources.adc.channels.a.input", "'a4' is not one of a0, a1, a2, a3, a0-a1, a0-a3, a1-a3, a2-a3"),
        resource("an ADS1115 channel without an input", "  adc: { kind: ads1115, i2c: i2c1, channels: { a: ⟨{ unit: V } } }\n",
                 "resources.adc.channels.a", "missing 'input'"),
        resource("an ADS1115 full-scale range the PGA lacks",
                 "  adc: { kind: ads1115, i2c: i2c1, channels: { a: { input: a0, full_scale_v: ⟨5 } } }\n",
                 "resources.adc.channels.a.full_scale_v", "is not a full-scale range of the ADS1115: one of 6.144, 4.096, 2.048"),
        resource("an ADS1115 data rate it lacks",
                 "  adc: { kind: ads1115, i2c: i2c1, channels: { a: { input: a0, data_rate_sps: ⟨100 } } }\n",
                 "resources.adc.channels.a.data_rate_sps", "100 is not a data rate of the ADS1115: one of 8, 16, 32, 64, 128, 250, 475, 860"),
        resource("an ADS1115 channel with a bad name", "  adc: { kind: ads1115, i2c: i2c1, channels: { ⟨bat-v: { input: a0 } } }\n",
                 "resources.adc.channels.bat-v", "'bat-v' is not a valid attribute name"),
        resource("an ADS1115 channel key misspelt", "  adc: { kind: ads1115, i2c: i2c1, channels: { a: { input: a0, ⟨unti: V } } }\n",
                 "resources.adc.channels.a.unti", "unknown key 'unti' (did you mean 'unit'?)"),
        resource("an ADS1115 channel scaled by nothing", "  adc: { kind: ads1115, i2c: i2c1, channels: { a: { input: a0, scale: ⟨0 } } }\n",
                 "resources.adc.channels.a.scale", "a scale of 0"),
        resource("two ADS1115s on one address",
                 "  a: { kind: ads1115, i2c: i2c1, channels: { x: { input: a0 } } }\n  b: { kind: ads1115, i2c: i2c1, address: ⟨0x48, channels: { y: { input: a1 } } }\n",
                 "resources.b.address", "i2c-1 address 0x48 is already used by /a"),
        resource("an ADS1115 on a bus that is not declared", "  adc: { kind: ads1115, i2c: ⟨i2c2, channels: { a: { input: a0 } } }\n",
                 "resources.adc.i2c", "no hardware entry 'i2c2'"),
        resource("an INA219 on the PCA9685's address by default", "  power: { kind: ina219, i2c: ⟨i2c1 }\n",
                 "resources.power.i2c", "i2c-1 address 0x40 is already used by hardware.hat (line 5)"),
        resource("an INA219 at an address it cannot have", "  power: { kind: ina219, i2c: i2c1, address: ⟨0x50 }\n",
                 "resources.power.address", "an INA219 answers only at 0x40…0x4f"),
        resource("an INA219 shunt that is not a resistance", "  power: { kind: ina219, i2c: i2c1, address: 0x41, shunt_ohms: ⟨-0.1 }\n",
                 "resources.power.shunt_ohms", "must be above 0"),
        resource("an INA219 current beyond its shunt range",
                 "  power: { kind: ina219, i2c: i2c1, address: 0x41, shunt_ohms: 0.1, max_current_a: ⟨5 }\n",
                 "resources.power.max_current_a", "above the INA219's 0.32 V shunt range"),
        resource("an INA219 calibration that overflows",
                 "  power: { kind: ina219, i2c: i2c1, address: 0x41, shunt_ohms: 0.001, max_current_a: ⟨1 }\n",
                 "resources.power.max_current_a", "the calibration register would overflow 16 bits"),
        resource("an MPU-6050 at an address it cannot have", "  imu: { kind: mpu6050, i2c: i2c1, address: ⟨0x6a }\n",
                 "resources.imu.address", "an MPU-6050 answers only at 0x68"),
        resource("an MPU-6050 accelerometer range it lacks", "  imu: { kind: mpu6050, i2c: i2c1, accel_range_g: ⟨3 }\n",
                 "resources.imu.accel_range_g", "3 is not an accelerometer range of the chip: one of 2, 4, 8, 16"),
        resource("an MPU-6050 gyro range it lacks", "  imu: { kind: mpu6050, i2c: i2c1, gyro_range_dps: ⟨300 }\n",
                 "resources.imu.gyro_range_dps", "300 is not a gyro range of the chip: one of 250, 500, 1000, 2000"),
        resource("an MPU-6050 filter it lacks", "  imu: { kind: mpu6050, i2c: i2c1, dlpf_hz: ⟨50 }\n",
                 "resources.imu.dlpf_hz", "50 is not a low-pass filter bandwidth of the chip: one of 260, 184, 94, 44, 21, 10, 5"),
        resource("an MPU-6050 polled too fast", "  imu: { kind: mpu6050, i2c: i2c1, poll_ms: ⟨5 }\n",
                 "resources.imu.poll_ms", "outside 10…3600000"),
        resource("two MPU-6050s on one address", "  a: { kind: mpu6050, i2c: i2c1 }\n  b: { kind: mpu6050, i2c: i2c1, address: ⟨0x68 }\n",
                 "resources.b.address", "i2c-1 address 0x68 is already used by /a"),
        Case(name: "mqtt needs a host", marked: "device: cat\nmqtt: ⟨{ username: robocat }\nresources: {}\n",
             keyPath: "mqtt", message: "missing 'host'"),
        Case(name: "mqtt password file must be absolute",
             marked: "device: cat\nmqtt: { host: b, username: u, password_file: ⟨pw.txt }\nresources: {}\n",
             keyPath: "mqtt.password_file", message: "'pw.txt' is not an absolute path"),
        Case(name: "mqtt password needs a user", marked: "device: cat\nmqtt: { host: b, password_file: ⟨/etc/pw }\nresources: {}\n",
             keyPath: "mqtt.password_file", message: "a password needs a username"),
        Case(name: "mqtt prefix has no wildcards", marked: "device: cat\nmqtt: { host: b, prefix: ⟨\"a/#\" }\nresources: {}\n",
             keyPath: "mqtt.prefix", message: "is not a topic prefix"),
        Case(name: "mqtt discovery is homeassistant or none", marked: "device: cat\nmqtt: { host: b, discovery: ⟨openhab }\nresources: {}\n",
             keyPath: "mqtt.discovery", message: "'openhab' is not one of homeassistant, none"),
        Case(name: "mqtt tls needs a CA", marked: "device: cat\nmqtt: { host: b, tls: ⟨{ cert_file: /c, key_file: /k } }\nresources: {}\n",
             keyPath: "mqtt.tls", message: "missing 'ca_file'"),
        Case(name: "mqtt key typo", marked: "device: cat\nmqtt: { host: b, ⟨usrname: u }\nresources: {}\n",
             keyPath: "mqtt.usrname", message: "unknown key 'usrname' (did you mean 'username'?)"),
        resource("an iio entry without its device", "  climate: ⟨{ kind: iio, i2c: i2c1, address: 0x77 }\n",
                 "resources.climate", "missing 'device' (the kernel's name for the device, e.g. bme280)"),
        resource("a kernel device name with a slash", "  climate: { kind: iio, device: ⟨iio/bme280 }\n",
                 "resources.climate.device", "'iio/bme280' is not a kernel device name"),
        resource("a kernel sensor's address without its bus", "  cpu: { kind: hwmon, device: lm75, address: ⟨0x48 }\n",
                 "resources.cpu.address", "an address needs the i2c entry the device is on"),
        resource("a kernel sensor on a bus that is not an i2c entry", "  cpu: { kind: hwmon, device: lm75, i2c: ⟨pwm, address: 0x48 }\n",
                 "resources.cpu.i2c", "'pwm' is of kind pwmchip, not i2c"),
        resource("a kernel sensor polled too fast", "  cpu: { kind: hwmon, device: lm75, poll_ms: ⟨1 }\n",
                 "resources.cpu.poll_ms", "outside 10…3600000"),
        resource("a kernel sensor's channel chosen twice", "  climate: { kind: iio, device: bme280, channels: [temperature, ⟨temperature] }\n",
                 "resources.climate.channels.1", "channel 'temperature' is chosen twice"),
        resource("two channels renamed alike", "  climate: { kind: iio, device: bme280, channels: { temperature: t, ⟨pressure: t } }\n",
                 "resources.climate.channels.pressure", "two channels would both be mounted as 't'"),
        resource("a channel renamed to a bad attribute name", "  climate: { kind: iio, device: bme280, channels: { ⟨temperature: inside-temp } }\n",
                 "resources.climate.channels.temperature", "'inside-temp' is not a valid attribute name"),
        resource("channels as a scalar", "  climate: { kind: iio, device: bme280, channels: ⟨temperature }\n",
                 "resources.climate.channels", "expected a list of channels"),
        resource("a kernel-bound address also claimed by a userspace driver",
                 "  inside: { kind: iio, device: bme280, i2c: i2c1, address: 0x76 }\n  climate: { kind: bme280, i2c: i2c1, address: ⟨0x76 }\n",
                 "resources.climate.address", "i2c-1 address 0x76 is already used by /inside"),
        resource("a userspace chip's address also named for a kernel driver",
                 "  climate: { kind: bme280, i2c: i2c1, address: 0x77 }\n  inside: { kind: iio, device: bme280, i2c: i2c1, address: ⟨0x77 }\n",
                 "resources.inside.address", "i2c-1 address 0x77 is already used by /climate"),
        resource("a kernel sensor's key misspelt", "  cpu: { kind: hwmon, ⟨devise: lm75 }\n",
                 "resources.cpu.devise", "unknown key 'devise' (did you mean 'device'?)"),
        Case(name: "YAML syntax error", marked: "device: cat\nresources: { eyes: [\n⟨", keyPath: "", message: "YAML:"),
    ]

    @Test(arguments: cases)
    func isRejectedAtItsPosition(_ testCase: Case) throws {
        let loader = BoardLoader(registry: .standard)
        let errors = #expect(throws: BoardErrors.self) { try loader.parse(yaml: testCase.yaml, file: "robot.yaml") }
        let error = try #require(errors?.errors.first { $0.keyPath == testCase.keyPath && $0.message.contains(testCase.message) },
                                 "got: \(errors?.description ?? "nothing")")
        // One mistake, one error: a bad value never cascades into phantom errors elsewhere.
        #expect(errors?.errors.count == 1, "expected exactly one error, got: \(errors?.description ?? "nothing")")
        #expect(errors?.description.contains("unknown key") == false || testCase.message.contains("unknown key")
                    || testCase.message.contains("did you mean"))
        #expect(error.file == "robot.yaml")
        let (line, column) = testCase.position
        #expect(error.line == line, "\(error)")
        #expect(error.column == column, "\(error)")
        #expect(error.description.hasPrefix("robot.yaml:\(line):\(column): "))
    }
}
