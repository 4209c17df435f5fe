import IOToyCore
import IOToyHAL
import IOToySim
import Synchronization
import Testing
@testable import IOToyDrivers

/// The HC-SR04 driver against the line-level model: the trigger pulse, the echo's width from
/// the edges' timestamps, distances by the datasheet's formula, and every way a ping can
/// find nothing (null with a reason, never a fault) or a line can fail (a fault).
@Suite struct HCSR04Tests {
    /// Remembers the delays asked for: the trigger pulse's length.
    final class RecordingDelay: BlockingDelay {
        let waits = Mutex<[Duration]>([])
        func wait(_ duration: Duration) { waits.withLock { $0.append(duration) } }
    }

    struct Rig {
        let chip = SimGPIOChip(name: "gpiochip0", label: "pinctrl-bcm2711", lineNames: ["TRIG", "ECHO", "OTHER"])
        let delay = RecordingDelay()
        let model: SimHCSR04
        let ranger: HCSR04

        init(maxCm: Double = 400, speed: Double = 343) throws {
            model = try SimHCSR04(chip: chip, trigger: .name("TRIG"), echo: .name("ECHO"))
            var configuration = HCSR04.Configuration(chip: .label("pinctrl-bcm2711"), trigger: .name("TRIG"), echo: .name("ECHO"))
            configuration.maxCm = maxCm
            configuration.speedOfSoundMps = speed
            ranger = HCSR04(gpio: SimGPIOProvider(chips: [chip]), delay: delay, configuration: configuration, consumer: "iotoyd:test")
        }
    }

    static func number(_ value: Value?) -> Double? {
        if case .float(let number)? = value { return number }
        return nil
    }

    /// The datasheet: "Test distance = (high level time × velocity of sound (340 M/S)) / 2".
    /// At 340 m/s an echo of 1000 µs is 17 cm; the model is told 17 cm and answers that echo.
    @Test func theDatasheetsFormulaFromTheEchosEdgeTimestamps() throws {
        let rig = try Rig(speed: 340)
        rig.model.speedOfSoundMps = 340
        rig.model.distanceCm = 17
        try rig.ranger.start()
        let values = try rig.ranger.sample()
        #expect(Self.number(values[["echo_us"]]) == 1000)
        #expect(abs((Self.number(values[["distance"]]) ?? 0) - 17) < 1e-9)
        #expect(values[["reason"]] == .str("echo received"))
        // One 10 µs trigger pulse, the line low again afterwards.
        #expect(rig.model.triggerPulses == 1)
        #expect(rig.delay.waits.withLock { $0 } == [.microseconds(10)])
        #expect(rig.chip.physicalLevel(line: .name("TRIG")) == false)
    }

    /// 343 m/s (the default): 58.3 µs of echo per centimetre, 1 m is 5830.9 µs.
    @Test func aMetreAtTheDefaultSpeedOfSound() throws {
        let rig = try Rig()
        rig.model.distanceCm = 100
        try rig.ranger.start()
        let values = try rig.ranger.sample()
        #expect(abs((Self.number(values[["echo_us"]]) ?? 0) - 2 / 343 * 1e6) < 0.001)
        #expect(abs((Self.number(values[["distance"]]) ?? 0) - 100) < 1e-4)
        // A fresh read answers the last ping: it does not ping sooner than the poll allows.
        #expect(abs((Self.number(try rig.ranger.read(["distance"])) ?? 0) - 100) < 1e-4)
        #expect(rig.model.triggerPulses == 1)
    }

    @Test func noEchoIsNullWithAReason() throws {
        let rig = try Rig()
        rig.model.distanceCm = nil
        try rig.ranger.start()
        let values = try rig.ranger.sample()
        #expect(values[["distance"]] == .json(.null))
        #expect(values[["echo_us"]] == .json(.null))
        // 2 × 400 cm at 343 m/s: 23.3 ms.
        #expect(values[["reason"]] == .str("no echo: the echo line did not rise within 23.3 ms of the trigger"))
    }

    @Test func anEchoLongerThanTheRangeIsNothingWithinRange() throws {
        let rig = try Rig()
        rig.model.distanceCm = 500                                   // 29.2 ms of echo
        try rig.ranger.start()
        var values = try rig.ranger.sample()
        #expect(values[["distance"]] == .json(.null))
        #expect(values[["reason"]] == .str("nothing within 400 cm: the echo lasted 29.2 ms, longer than the 23.3 ms round trip"))
        // An echo that never ends.
        rig.model.distanceCm = 50
        rig.model.holdsEchoHigh = true
        try rig.chip.setExternalLevel(false, line: .name("ECHO"))
        values = try rig.ranger.sample()
        #expect(values[["distance"]] == .json(.null))
        #expect(values[["reason"]] == .str("nothing within 400 cm: the echo was still high 23.3 ms after it rose"))
        // The reach follows max_cm: 500 cm is in range of a 600 cm ranger.
        let far = try Rig(maxCm: 600)
        far.model.distanceCm = 500
        try far.ranger.start()
        #expect(abs((Self.number(try far.ranger.sample()[["distance"]]) ?? 0) - 500) < 1e-4)
    }

    /// Edges of an earlier echo are no part of this one: those queued before the trigger are
    /// dropped, and a falling edge before the first rising one is skipped.
    @Test func edgesOfAnEarlierEchoAreSkipped() throws {
        let chip = SimGPIOChip(name: "gpiochip0", label: "sim", lineNames: ["TRIG", "ECHO"])
        try chip.setWaitsExpireAtOnce(true, line: .name("ECHO"))
        try chip.observeOutput(line: .name("TRIG")) { level, now in
            guard !level else { return }
            try? chip.setExternalLevel(false, line: .name("ECHO"), timestampNs: now + 100_000)    // the old echo ends
            try? chip.setExternalLevel(true, line: .name("ECHO"), timestampNs: now + 400_000)
            try? chip.setExternalLevel(false, line: .name("ECHO"), timestampNs: now + 1_400_000)  // 1000 µs
        }
        let ranger = HCSR04(gpio: SimGPIOProvider(chips: [chip]), delay: NoDelay(),
                            configuration: .init(chip: .label("sim"), trigger: .name("TRIG"), echo: .name("ECHO")), consumer: "t")
        try ranger.start()
        try chip.setExternalLevel(true, line: .name("ECHO"), timestampNs: 5)                     // the old echo rose
        #expect(Self.number(try ranger.sample()[["echo_us"]]) == 1000)
    }

    @Test func theSpeedOfSoundIsSettableWithinItsRange() throws {
        let rig = try Rig()
        rig.model.distanceCm = 100
        try rig.ranger.start()
        #expect { try rig.ranger.write(["speed_of_sound"], value: .float(200)) } throws: { ($0 as? ComponentError)?.kind == .outOfRange }
        #expect { try rig.ranger.write(["distance"], value: .float(2)) } throws: { ($0 as? ComponentError)?.kind == .readOnly }
        try rig.ranger.write(["speed_of_sound"], value: .float(331.3))     // dry air at 0 °C
        #expect(try rig.ranger.read(["speed_of_sound"]) == .float(331.3))
        // The same echo (made at 343 m/s) is now read as a shorter distance: 100 × 331.3 / 343.
        #expect(abs((Self.number(try rig.ranger.sample()[["distance"]]) ?? 0) - 100 * 331.3 / 343) < 1e-4)
    }

    /// A line that cannot be had is a fault, and the start leaves nothing held.
    @Test func aBusyEchoLineFailsTheStartAndHoldsNothing() throws {
        let rig = try Rig()
        _ = try rig.chip.requestLine(.name("ECHO"), settings: LineSettings(direction: .input), consumer: "gpiomon")
        #expect { try rig.ranger.start() } throws: { ($0 as? HardwareError)?.kind == .busy }
        #expect(rig.chip.consumer(line: .name("TRIG")) == nil)
        #expect(rig.model.triggerPulses == 0)
        // Stopped, a sample is an error (the dispatcher faults the component), not a null.
        #expect(throws: HardwareError.self) { try rig.ranger.sample() }
    }
}
