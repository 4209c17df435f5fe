import Foundation
import Glibc
import IOToyHAL
import Testing
@testable import IOToyLinux

/// libgpiod against the kernel's gpio-sim (inside the harness guest only). Serialized: the
/// tests share the simulated chip's lines.
@Suite(.serialized, .enabled(if: KernelHarness.isPresent, "needs the kernel harness (Tests/kernel)"))
struct KernelGPIOTests {
    let provider = LinuxGPIOProvider()
    let consumer = "iotoy-test"

    func chip() throws -> any GPIOChip { try provider.openChip(.label(KernelHarness.gpioLabel)) }

    @Test func theChipIsFoundByLabelNameAndPath() throws {
        for selector in [ChipSelector.label(KernelHarness.gpioLabel), .name(KernelHarness.gpioChip), .path("/dev/\(KernelHarness.gpioChip)")] {
            let chip = try provider.openChip(selector)
            #expect(chip.name == KernelHarness.gpioChip, "\(selector)")
            #expect(chip.label == KernelHarness.gpioLabel, "\(selector)")
            chip.close()
        }
    }

    @Test func aMissingChipIsNotFoundNamingTheSelectorAndWhatThereIs() {
        #expect {
            _ = try provider.openChip(.label("pinctrl-bcm2711"))
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.device == "gpio chip 'pinctrl-bcm2711'"
                && error.message == "found: \(KernelHarness.gpioChip) [\(KernelHarness.gpioLabel)]"
        }
        #expect(throws: HardwareError.self) { _ = try provider.openChip(.name("gpiochip9")) }
    }

    @Test func anOutputDrivesTheSimulatedLine() throws {
        let chip = try chip()
        defer { chip.close() }
        let line = try chip.requestLine(.name("GPIO17"), settings: LineSettings(direction: .output(initial: true)), consumer: consumer)
        defer { line.release() }
        #expect(line.offset == KernelHarness.offset("GPIO17"))
        #expect(try KernelHarness.simulatedValue("GPIO17") == 1)
        try line.write(false)
        #expect(try KernelHarness.simulatedValue("GPIO17") == 0)
        #expect(try line.read() == false)
        #expect(try line.waitForEdgeEvents(timeout: .milliseconds(5)).isEmpty, "no edge detection: nothing arrives")
    }

    @Test func anActiveLowOpenDrainOutputDrivesLowForTrue() throws {
        let chip = try chip() as! LinuxGPIOChip
        defer { chip.close() }
        let settings = LineSettings(direction: .output(initial: true), drive: .openDrain, activeLow: true)
        let line = try chip.requestLine(.offset(KernelHarness.offset("GPIO22")), settings: settings, consumer: consumer)
        defer { line.release() }
        #expect(try KernelHarness.simulatedValue("GPIO22") == 0)
        #expect(try line.read() == true)
        let info = try chip.lineInfo(offset: line.offset)
        #expect(info.used && info.isOutput && info.activeLow && info.drive == .openDrain && info.consumer == consumer)
    }

    @Test func anInputReadsThePullSetAfterItWasRequested() throws {
        let chip = try chip()
        defer { chip.close() }
        let line = try chip.requestLine(.name("GPIO27"), settings: LineSettings(direction: .input), consumer: consumer)
        defer { line.release() }
        try KernelHarness.setPull("GPIO27", up: true)
        #expect(try line.read() == true)
        try KernelHarness.setPull("GPIO27", up: false)
        #expect(try line.read() == false)
        #expect {
            try line.write(true)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .unsupported && $0.message == "line is an input" } ?? false
        }
    }

    @Test func edgesArriveWithTheKernelsTimestamp() throws {
        try KernelHarness.setPull("GPIO4", up: false)
        let chip = try chip()
        defer { chip.close() }
        let line = try chip.requestLine(.name("GPIO4"), settings: LineSettings(direction: .input, edge: .both), consumer: consumer)
        defer { line.release() }
        #expect(try line.waitForEdgeEvents(timeout: .milliseconds(1)).isEmpty)
        let before = Monotonic.nanoseconds()
        try KernelHarness.setPull("GPIO4", up: true)
        let rising = try line.waitForEdgeEvents(timeout: .seconds(5))
        let after = Monotonic.nanoseconds()
        #expect(rising.map(\.kind) == [.rising])
        #expect(rising.first?.offset == KernelHarness.offset("GPIO4"))
        #expect(rising.first.map { (before...after).contains($0.timestampNs) } == true, "CLOCK_MONOTONIC, taken by the kernel")
        try KernelHarness.setPull("GPIO4", up: false)
        #expect(try line.waitForEdgeEvents(timeout: .seconds(5)).map(\.kind) == [.falling])
    }

    @Test func activeLowEdgesAreLogical() throws {
        try KernelHarness.setPull("GPIO5", up: true)
        let chip = try chip()
        defer { chip.close() }
        let settings = LineSettings(direction: .input, activeLow: true, edge: .rising)
        let line = try chip.requestLine(.name("GPIO5"), settings: settings, consumer: consumer)
        defer { line.release() }
        #expect(try line.read() == false)
        try KernelHarness.setPull("GPIO5", up: false)   // pressed: pulled low
        #expect(try line.waitForEdgeEvents(timeout: .seconds(5)).map(\.kind) == [.rising])
        #expect(try line.read() == true)
    }

    /// A glitch shorter than the debounce period: the kernel (v2) swallows it; the software
    /// debouncer (v1) reports the edge and then the return to the old level once the window passed.
    @Test func aGlitchIsDebounced() throws {
        try KernelHarness.setPull("GPIO6", up: false)
        let chip = try chip()
        defer { chip.close() }
        let settings = LineSettings(direction: .input, edge: .both, debounce: .milliseconds(300))
        let line = try chip.requestLine(.name("GPIO6"), settings: settings, consumer: consumer)
        defer { line.release() }
        try KernelHarness.setPull("GPIO6", up: true)
        try KernelHarness.setPull("GPIO6", up: false)
        var events: [EdgeEvent] = []
        let deadline = ContinuousClock.now + .milliseconds(1000)
        while ContinuousClock.now < deadline { events += try line.waitForEdgeEvents(timeout: .milliseconds(50)) }
        if LinuxGPIOProvider.kernelDebounce {
            #expect(events.isEmpty, "\(events)")
        } else {
            #expect(events.map(\.kind) == [.rising, .falling], "\(events)")
            if events.count == 2 { #expect(events[1].timestampNs - events[0].timestampNs >= 300_000_000) }
        }
        #expect(try line.read() == false)
    }

    @Test func aHeldLineIsBusyAndSaysWhoHoldsIt() throws {
        let chip = try chip()
        defer { chip.close() }
        let line = try chip.requestLine(.name("GPIO23"), settings: LineSettings(direction: .input), consumer: "first-owner")
        defer { line.release() }
        #expect {
            _ = try chip.requestLine(.name("GPIO23"), settings: LineSettings(direction: .input), consumer: consumer)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .busy && error.errno == EBUSY
                && error.device == "\(KernelHarness.gpioChip) (\(KernelHarness.gpioLabel)) line GPIO23 (offset \(KernelHarness.offset("GPIO23")))"
                && error.message == "held by 'first-owner'"
        }
    }

    @Test func unknownLinesAreNotFound() throws {
        let chip = try chip()
        defer { chip.close() }
        #expect {
            _ = try chip.requestLine(.name("GPIO99"), settings: LineSettings(direction: .input), consumer: consumer)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.device.hasSuffix("line GPIO99") } ?? false
        }
        #expect {
            _ = try chip.requestLine(.offset(64), settings: LineSettings(direction: .input), consumer: consumer)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.message == "the chip has 8 lines (0…7)" } ?? false
        }
        #expect(throws: HardwareError.self) {
            _ = try chip.requestLine(.name("GPIO24"), settings: LineSettings(direction: .output(initial: false), edge: .both), consumer: consumer)
        }
    }

    @Test func releaseGivesTheLineBackAndTheRequestOutlivesItsChip() throws {
        let chip = try provider.open(.label(KernelHarness.gpioLabel))
        let line = try chip.requestLine(.name("GPIO24"), settings: LineSettings(direction: .output(initial: true)), consumer: consumer)
        chip.close()
        try line.write(false)
        #expect(try KernelHarness.simulatedValue("GPIO24") == 0)
        let observer = try provider.open(.label(KernelHarness.gpioLabel))
        defer { observer.close() }
        #expect(try observer.lineInfo(offset: line.offset).used)
        line.release()
        #expect(try observer.lineInfo(offset: line.offset).used == false)
        #expect {
            _ = try line.read()
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.message == "line released" } ?? false
        }
    }
}
