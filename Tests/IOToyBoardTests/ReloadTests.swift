import IOToyCore
import IOToyDispatcher
import IOToyHAL
import IOToySim
import IOToyTesting
import Logging
import Testing
@testable import IOToyBoard

/// A reload on simulated hardware: what is unchanged keeps running without a single write,
/// what changed or went is made safe and released, what is new starts; streams hear `tree`.
@Suite struct ReloadTests {
    static let before = """
        device: rover
        hardware:
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }
        resources:
          tail: { kind: servo, pwm: pwm/0, limits: [20, 160], initial: 90 }
          eyes: { kind: gpio_out, line: gpio/GPIO17 }
          bumper: { kind: gpio_in, line: gpio/GPIO27, edge: both }
        """
    // The tail is the same entry written differently (a comment, flow vs block style); the
    // eyes moved to another line; the bumper is gone; a horn is new.
    static let after = """
        device: rover
        hardware:
          pwm: { kind: pwmchip, chip: pwmchip0, channels: 2 }   # moved above gpio
          gpio: { kind: gpiochip, chip: pinctrl-bcm2711 }
        resources:
          tail:
            kind: servo
            pwm: pwm/0
            limits: [20, 160]
            initial: 90
          eyes: { kind: gpio_out, line: gpio/GPIO22 }
          horn: { kind: gpio_out, line: gpio/GPIO23, initial: true }
        """

    /// The rover on simulated hardware (IOToyTesting's rig).
    static func running(_ yaml: String) async throws -> SimulatedTree {
        try await SimulatedTree(yaml: yaml, file: "rover.yaml")
    }

    static func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }

    @Test func anUnchangedServoDoesNotTwitchAndTheRestFollowsTheFile() async throws {
        let rover = try await Self.running(Self.before)
        let tailMount = try #require(rover.dispatcher.tree.mounts.first { $0.path == Self.path("/tail") })
        _ = try await rover.dispatcher.put(Self.path("/tail"), .json(.object(["value": .int(120)])))
        _ = try await rover.dispatcher.put(Self.path("/eyes"), .json(.object(["value": .bool(true)])))
        let pwm = try #require(rover.hardware.pwm.chip("pwmchip0"))
        let chip = try #require(rover.hardware.gpio.chip(.label("pinctrl-bcm2711")))
        let writesBefore = pwm.history.count
        let watcher = try rover.dispatcher.watch(.root)

        let changes = try await rover.reload(Self.after)

        #expect(changes.kept == [Self.path("/tail")])
        #expect(changes.started == [Self.path("/eyes"), Self.path("/horn")])
        #expect(Set(changes.removed) == [Self.path("/eyes"), Self.path("/bumper")])
        // The servo: the same running component, not one write to its channel, its angle kept.
        #expect(rover.dispatcher.tree.mounts.first { $0.path == Self.path("/tail") } === tailMount)
        #expect(pwm.history.count == writesBefore)
        let tail = try await rover.value("/tail")
        #expect(tail == .int(120) || tail == .double(120))
        // The eyes: the old line released in its safe state, the new one driven.
        #expect(chip.consumer(line: .name("GPIO17")) == nil)
        #expect(chip.physicalLevel(line: .name("GPIO17")) != true)
        #expect(chip.consumer(line: .name("GPIO22")) != nil)
        // The bumper is gone and its line free; the horn serves.
        #expect(chip.consumer(line: .name("GPIO27")) == nil)
        await #expect(throws: IOToyError.self) { try await rover.dispatcher.get(Self.path("/bumper")) }
        #expect(try await rover.value("/horn") == .bool(true))
        #expect(chip.physicalLevel(line: .name("GPIO23")) == true)
        // The stream heard the new tree.
        var sawTree = false
        while watcher.queuedCount > 0 {
            guard case .frame(let bytes) = await watcher.next() else { break }
            if String(decoding: bytes, as: UTF8.self).contains("event: tree") { sawTree = true }
        }
        #expect(sawTree)
        await rover.stop()
        // Shutdown leaves what the new tree holds safe and released.
        #expect(chip.consumer(line: .name("GPIO22")) == nil)
        #expect(chip.consumer(line: .name("GPIO23")) == nil)
    }

    @Test func reloadingTheSameFileKeepsEverything() async throws {
        let rover = try await Self.running(Self.before)
        let mounts = rover.dispatcher.tree.mounts.map(ObjectIdentifier.init)
        let changes = try await rover.reload(Self.before)
        #expect(changes.started.isEmpty && changes.removed.isEmpty)
        #expect(changes.kept.count == 3)
        #expect(rover.dispatcher.tree.mounts.map(ObjectIdentifier.init) == mounts)
        await rover.stop()
    }

    @Test func aChangedHardwareEntryRebuildsItsUsers() async throws {
        let rover = try await Self.running(Self.before)
        let changes = try await rover.reload(Self.before.replacingOccurrences(of: "channels: 2", with: "channels: 3"))
        #expect(changes.started == [Self.path("/tail")])
        #expect(Set(changes.kept) == [Self.path("/eyes"), Self.path("/bumper")])
        await rover.stop()
    }
}
