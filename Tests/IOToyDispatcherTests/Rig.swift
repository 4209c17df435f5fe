import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import IOToyTesting
import Logging
@testable import IOToyDispatcher

/// A small robot on simulated hardware, built by hand: a leg servo, an LED, a bumper and a
/// BME280, with a manual clock.
struct Rig {
    let hardware = SimulatedHardware()
    let clock = ManualClock()
    let pwm = SimPWMChip(name: "pwmchip0", channelCount: 2)
    let chip = SimGPIOChip(name: "gpiochip0", label: "pinctrl-bcm2711", lineNames: ["GPIO17", "GPIO27"], timestampNs: { 42_000 })
    let sensor = SimBME280()
    let dispatcher: Dispatcher

    static let lift = try! ResourcePath(parsing: "/leg/lift")
    static let eyes = try! ResourcePath(parsing: "/eyes")
    static let toggle = try! ResourcePath(parsing: "/eyes/toggle")
    static let bumper = try! ResourcePath(parsing: "/bumper")
    static let temperature = try! ResourcePath(parsing: "/climate/temperature")

    /// `failsafe`: the servo's and the LED's failsafe deadline.
    /// `metrics`: the dispatcher's instruments (none by default).
    init(failsafe: Duration? = nil, metrics: DispatcherMetrics = DispatcherMetrics()) throws {
        hardware.pwm.add(pwm)
        hardware.gpio.add(chip)
        hardware.i2c.bus(1).attach(sensor, at: 0x76)
        let platform = hardware.platform
        var tree = ResourceTree(device: "robocat", help: "Test cat")
        try tree.addDirectory(try ResourcePath(parsing: "/leg"), help: "A leg")
        var servo = Servo.Configuration()
        servo.limits = 20...160
        servo.initial = 90
        servo.help = "Lift"
        let pwmOwner = HardwareOwner(name: "pwm"), gpioOwner = HardwareOwner(name: "gpio"), i2cOwner = HardwareOwner(name: "i2c-1")
        try tree.addMount(Mount(path: Rig.lift, kind: "servo", component: Servo(configuration: servo) {
            try platform.pwm.openChannel(chip: "pwmchip0", channel: 0)
        }, owner: pwmOwner, failsafe: failsafe))
        var led = GPIOOutput.Configuration(chip: .label("pinctrl-bcm2711"), line: .name("GPIO17"))
        led.help = "Eyes"
        try tree.addMount(Mount(path: Rig.eyes, kind: "gpio_out", component: GPIOOutput(gpio: platform.gpio, configuration: led, consumer: "t"), owner: gpioOwner, failsafe: failsafe))
        var button = GPIOInput.Configuration(chip: .label("pinctrl-bcm2711"), line: .name("GPIO27"))
        button.bias = .pullUp
        button.activeLow = true
        try tree.addMount(Mount(path: Rig.bumper, kind: "gpio_in", component: GPIOInput(gpio: platform.gpio, configuration: button, consumer: "t"), owner: HardwareOwner(name: "gpio/GPIO27")))
        try tree.addMount(Mount(
            path: try ResourcePath(parsing: "/climate"), kind: "bme280",
            component: BME280(i2c: platform.i2c, delay: NoDelay(), configuration: .init(bus: 1)), owner: i2cOwner, help: "Climate"))
        dispatcher = Dispatcher(tree: tree, clock: clock, wallClock: { 1_700_000_000 }, logger: Logger(label: "test"), metrics: metrics)
    }

    /// Runs the dispatcher until every component has had its first start (IOToyTesting's
    /// helper); returns the running task and a change-feed subscription opened before the start.
    func start() async -> (task: Task<Void, Never>, events: AsyncStream<ChangeEvent>.Iterator) {
        await dispatcher.runUntilStarted()
    }
}
