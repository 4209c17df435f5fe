import IOToyHAL
import Testing
@testable import IOToySim

@Suite struct SimGPIOChipTests {
    func chip() -> SimGPIOChip {
        SimGPIOChip(name: "gpiochip0", label: "pinctrl-sim", lineNames: ["GPIO17", "GPIO27", nil], timestampNs: { 1_000 })
    }

    @Test func outputsDriveThePinAndActiveLowInverts() throws {
        let chip = chip()
        let line = try chip.requestLine(.name("GPIO17"), settings: LineSettings(direction: .output(initial: true), activeLow: true), consumer: "t")
        #expect(chip.physicalLevel(line: .name("GPIO17")) == false)
        try line.write(false)
        #expect(chip.physicalLevel(line: .offset(0)) == true)
        #expect(try line.read() == false)
    }

    @Test func aHeldLineIsBusyUntilReleased() throws {
        let chip = chip()
        let line = try chip.requestLine(.offset(1), settings: LineSettings(direction: .input), consumer: "first")
        #expect(throws: HardwareError.self) {
            try chip.requestLine(.name("GPIO27"), settings: LineSettings(direction: .input), consumer: "second")
        }
        line.release()
        #expect(throws: HardwareError.self) { try line.read() }
        _ = try chip.requestLine(.name("GPIO27"), settings: LineSettings(direction: .input), consumer: "second")
        #expect(chip.consumer(line: .offset(1)) == "second")
    }

    @Test func unknownLinesAreNotFound() {
        let chip = chip()
        #expect(throws: HardwareError.self) { try chip.requestLine(.name("GPIO99"), settings: LineSettings(direction: .input), consumer: "t") }
        #expect(throws: HardwareError.self) { try chip.requestLine(.offset(3), settings: LineSettings(direction: .input), consumer: "t") }
    }

    @Test func inputsSeeBiasAndExternalLevelsAndReportEdges() throws {
        let chip = chip()
        let line = try chip.requestLine(
            .name("GPIO27"), settings: LineSettings(direction: .input, bias: .pullUp, activeLow: true, edge: .both), consumer: "t")
        #expect(try line.read() == false)                       // pulled up, active low: not pressed
        try chip.setExternalLevel(false, line: .name("GPIO27"))  // pressed: pulled to ground
        #expect(try line.read() == true)
        try chip.setExternalLevel(nil, line: .name("GPIO27"))
        let events = try line.waitForEdgeEvents(timeout: .zero)
        #expect(events.map(\.kind) == [.rising, .falling])   // logical edges: active low
        #expect(events.allSatisfy { $0.timestampNs == 1_000 && $0.offset == 1 })
        #expect(try line.waitForEdgeEvents(timeout: .zero).isEmpty)
    }

    @Test func debounceDropsEdgesInsideTheWindow() throws {
        let now = Mutex(0)
        let chip = SimGPIOChip(name: "gpiochip0", label: "x", lineNames: ["B"], timestampNs: { UInt64(now.withLock { $0 }) })
        let line = try chip.requestLine(
            .name("B"), settings: LineSettings(direction: .input, edge: .both, debounce: .milliseconds(10)), consumer: "t")
        now.withLock { $0 = 100_000_000 }
        try chip.setExternalLevel(true, line: .name("B"))
        now.withLock { $0 = 101_000_000 }
        try chip.setExternalLevel(false, line: .name("B"))       // 1 ms later: a bounce
        now.withLock { $0 = 120_000_000 }
        try chip.setExternalLevel(true, line: .name("B"))
        #expect(try line.waitForEdgeEvents(timeout: .zero).map(\.timestampNs) == [100_000_000, 120_000_000])
    }

    @Test func providerFindsChipsByLabelNameAndPath() throws {
        let provider = SimGPIOProvider(chips: [chip()])
        #expect(try provider.openChip(.label("pinctrl-sim")).name == "gpiochip0")
        #expect(try provider.openChip(.name("gpiochip0")).label == "pinctrl-sim")
        #expect(try provider.openChip(.path("/dev/gpiochip0")).name == "gpiochip0")
        #expect(throws: HardwareError.self) { try provider.openChip(.label("pinctrl-bcm2711")) }
    }
}

import Synchronization
