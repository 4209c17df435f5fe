import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToyTesting
import Testing
@testable import IOToyDispatcher

/// GET's shortcut by the path's text answers exactly what `get` answers, and only when there
/// is nothing to decide: never for a fault, a missing value, a live read or another spelling.
@Suite(.timeLimit(.minutes(1))) struct AnswerByTextTests {
    /// Every text a request can write for a node of the rig's tree: `/a/b`, and `/a/` for a directory.
    static func texts(of dispatcher: Dispatcher) -> [(text: String, path: ResourcePath)] {
        var texts: [(String, ResourcePath)] = [(Dispatcher.deviceInfoPath.description, Dispatcher.deviceInfoPath)]
        for (path, node) in dispatcher.tree.nodes {
            texts.append((path.description, path))
            if case .directory = node { texts.append((path.directoryHref, path)) }
        }
        return texts
    }

    @Test func everyShortcutIsTheSameBytesAsGet() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        defer { task.cancel() }
        var shortcuts: Set<String> = []
        for (text, path) in Self.texts(of: rig.dispatcher) {
            guard let answer = rig.dispatcher.answer(forPathText: text) else { continue }
            shortcuts.insert(text)
            #expect(answer == (try await rig.dispatcher.get(path)), "\(text)")
        }
        // Directories, the functions, /devinfo, the sensor's samples and the bumper's edge-kept
        // value; not the servo or the LED, which are read through their owners.
        #expect(shortcuts == [
            "/", "/leg", "/leg/", "/climate", "/climate/", "/devinfo", "/eyes/toggle", "/eyes/pulse",
            "/climate/temperature", "/climate/pressure", "/climate/humidity", "/bumper",
        ])
    }

    @Test func aPathWrittenAnotherWayGoesToGet() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        defer { task.cancel() }
        #expect(rig.dispatcher.answer(forPathText: "/climate/temperature") != nil)
        for text in ["climate/temperature", "/climate/temperature/", "//climate/temperature", "/climate//temperature",
                     "/Climate/temperature", "/climate/temperature?fresh", "/climate/%74emperature", "", "/tail", "/leg/lift"] {
            #expect(rig.dispatcher.answer(forPathText: text) == nil, "\(text)")
        }
    }

    @Test func nothingIsAnsweredBeforeTheFirstSampleOrWhileFaulted() async throws {
        let rig = try Rig()
        // Not started: no sample yet, so `get` decides (it answers 503 "starting").
        #expect(rig.dispatcher.answer(forPathText: "/climate/temperature") == nil)
        #expect(rig.dispatcher.answer(forPathText: "/climate") != nil)

        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        let sampled = try #require(rig.dispatcher.answer(forPathText: "/climate/temperature"))
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: 121)
        await #expect { try await rig.dispatcher.get(Rig.temperature, fresh: true) } throws: { ($0 as? IOToyError)?.status == 503 }
        #expect(await events.next(.fault)?.path.description == "/climate")
        #expect(rig.dispatcher.answer(forPathText: "/climate/temperature") == nil)
        await #expect { try await rig.dispatcher.get(Rig.temperature) } throws: { ($0 as? IOToyError)?.status == 503 }
        // The rest of the tree keeps its shortcut.
        #expect(rig.dispatcher.answer(forPathText: "/bumper") != nil)

        await rig.clock.waitForSleepers(1)       // the supervisor waits out its back-off
        rig.clock.advance(by: .seconds(1))       // still faulted: the restart fails, back-off doubles
        await rig.clock.waitForSleepers(1)
        #expect(rig.dispatcher.answer(forPathText: "/climate/temperature") == nil)
        rig.hardware.i2c.bus(1).injectFault(at: 0x76, errno: nil)
        rig.clock.advance(by: .seconds(2))
        #expect(await events.next(.recovered)?.path.description == "/climate")
        let recovered = try await rig.dispatcher.get(Rig.temperature)
        #expect(recovered == sampled)
        #expect(rig.dispatcher.answer(forPathText: "/climate/temperature") == recovered)
    }

    @Test func aNewValueIsAnsweredAtOnce() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        let released = try #require(rig.dispatcher.answer(forPathText: "/bumper"))
        #expect(try JSONValue.decoding(released)["value"] == .bool(false))
        try rig.chip.setExternalLevel(false, line: .name("GPIO27"))   // pressed
        #expect(await events.next(.edge)?.path == Rig.bumper)
        let pressed = try #require(rig.dispatcher.answer(forPathText: "/bumper"))
        #expect(try JSONValue.decoding(pressed)["value"] == .bool(true))
        #expect(pressed == (try await rig.dispatcher.get(Rig.bumper)))
    }

    @Test func aReloadedTreeIsAnsweredFromItsNewComponents() async throws {
        let rig = try Rig()
        let (task, firstEvents) = await rig.start()
        var events = firstEvents
        defer { task.cancel() }
        let before = try #require(rig.dispatcher.answer(forPathText: "/climate/temperature"))
        #expect(rig.dispatcher.answer(forPathText: "/bumper") != nil)

        // The same sensor under a new component and owner; everything else is gone.
        var tree = ResourceTree(device: "robocat", help: "Test cat")
        let climate = try ResourcePath(parsing: "/climate")
        try tree.addMount(Mount(
            path: climate, kind: "bme280", component: BME280(i2c: rig.hardware.platform.i2c, delay: NoDelay(), configuration: .init(bus: 1)),
            owner: HardwareOwner(name: "i2c-1 (reloaded)"), help: "Climate"))
        await rig.dispatcher.replaceTree(with: tree)
        #expect(rig.dispatcher.answer(forPathText: "/bumper") == nil)
        await #expect { try await rig.dispatcher.get(Rig.bumper) } throws: { ($0 as? IOToyError)?.status == 404 }
        #expect(await events.next(.started, at: climate) != nil)
        let after = try #require(rig.dispatcher.answer(forPathText: "/climate/temperature"))
        #expect(after == (try await rig.dispatcher.get(Rig.temperature)))
        #expect(after == before, "the same simulated sensor, sampled anew by the new component")
    }
}
