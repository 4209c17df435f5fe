import IOToyCore
import IOToyHAL
import IOToySim
import Testing
@testable import IOToyDrivers

@Suite struct GPIOComponentTests {
    func provider() -> (SimGPIOProvider, SimGPIOChip) {
        let chip = SimGPIOChip(name: "gpiochip0", label: "pinctrl-bcm2711", lineNames: ["GPIO17", "GPIO27"])
        return (SimGPIOProvider(chips: [chip]), chip)
    }

    @Test func outputWritesTogglesAndFallsSafe() throws {
        let (gpio, chip) = provider()
        var configuration = GPIOOutput.Configuration(chip: .label("pinctrl-bcm2711"), line: .name("GPIO17"))
        configuration.initial = true
        let led = GPIOOutput(gpio: gpio, configuration: configuration, consumer: "iotoyd:test")
        try led.start()
        #expect(chip.physicalLevel(line: .name("GPIO17")) == true)
        #expect(chip.consumer(line: .name("GPIO17")) == "iotoyd:test")
        try led.write([], value: .bool(false))
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
        #expect(try led.call(["toggle"], arguments: []) == .bool(true))
        #expect(try led.read([]) == .bool(true))
        try led.enterSafeState()
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
        led.stop()
        #expect(chip.consumer(line: .name("GPIO17")) == nil)
    }

    @Test func outputOnAMissingChipOrLineFaults() {
        let (gpio, _) = provider()
        let noChip = GPIOOutput(gpio: gpio, configuration: .init(chip: .label("pinctrl-rp1"), line: .name("GPIO17")), consumer: "t")
        #expect { try noChip.start() } throws: { "\($0)".contains("pinctrl-rp1") }
        let noLine = GPIOOutput(gpio: gpio, configuration: .init(chip: .label("pinctrl-bcm2711"), line: .name("GPIO4")), consumer: "t")
        #expect { try noLine.start() } throws: { "\($0)".contains("GPIO4") }
    }

    @Test func inputReadsActiveLowAndReportsEdgesAsValues() throws {
        let (gpio, chip) = provider()
        var configuration = GPIOInput.Configuration(chip: .name("gpiochip0"), line: .name("GPIO27"))
        configuration.bias = .pullUp
        configuration.activeLow = true
        let bumper = GPIOInput(gpio: gpio, configuration: configuration, consumer: "t")
        #expect(bumper.schedule == .eventDriven(slice: .milliseconds(50), servesValues: true))
        try bumper.start()
        #expect(try bumper.read([]) == .bool(false))
        try chip.setExternalLevel(false, line: .name("GPIO27"))
        #expect(try bumper.read([]) == .bool(true))
        let events = try bumper.waitForEvents(timeout: .zero)
        #expect(events == [ComponentEvent(path: [], value: .bool(true), edge: .rising, timestampNs: events.first?.timestampNs)])
        #expect { try bumper.write([], value: .bool(true)) } throws: { ($0 as? ComponentError)?.kind == .readOnly }
    }
}
