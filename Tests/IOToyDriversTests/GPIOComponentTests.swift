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

    /// A pulse is on from the call, ends at its first step past its length, and is ended by
    /// any later command or the safe state; a length outside 1 ms…1 h is refused untouched.
    @Test func aPulseEndsOnTimeUnlessACommandComesFirst() throws {
        let (gpio, chip) = provider()
        let horn = GPIOOutput(gpio: gpio, configuration: .init(chip: .label("pinctrl-bcm2711"), line: .name("GPIO17")), consumer: "t")
        try horn.start()
        #expect { try horn.call(["pulse"], arguments: [.int(0)]) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try horn.call(["pulse"], arguments: [.int(3_600_001)]) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
        #expect(horn.nextStep() == nil)

        _ = try horn.call(["pulse"], arguments: [.int(100)])
        #expect(chip.physicalLevel(line: .name("GPIO17")) == true)
        #expect(try horn.advance(to: .seconds(5)).isEmpty)                  // stamps the start
        #expect(horn.nextStep() == .milliseconds(100))
        #expect(try horn.advance(to: .seconds(5) + .milliseconds(60)).isEmpty)
        #expect(horn.nextStep() == .milliseconds(40))
        #expect(try horn.advance(to: .seconds(5) + .milliseconds(100)) == [ComponentEvent(path: [], value: .bool(false))])
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
        #expect(horn.nextStep() == nil)

        _ = try horn.call(["pulse"], arguments: [.int(100)])
        _ = try horn.advance(to: .seconds(6))
        try horn.write([], value: .bool(true))                               // held on from now
        #expect(horn.nextStep() == nil)
        #expect(try horn.advance(to: .seconds(7)).isEmpty)
        #expect(chip.physicalLevel(line: .name("GPIO17")) == true)

        _ = try horn.call(["pulse"], arguments: [.int(100)])
        _ = try horn.advance(to: .seconds(8))
        try horn.enterSafeState()
        #expect(horn.nextStep() == nil)
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
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
