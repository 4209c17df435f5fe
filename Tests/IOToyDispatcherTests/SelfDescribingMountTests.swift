import IOToyCore
import IOToyDrivers
import IOToyHAL
import IOToySim
import Logging
import Testing
@testable import IOToyDispatcher

/// A serial microcontroller mounted at `/base`: its resources come from the device, answer
/// 503 while it is unplugged, and are mounted again, as the new sketch describes them, when
/// it comes back.
@Suite struct SelfDescribingMountTests {
    static let port = "/dev/ttyACM0"
    static let base = try! ResourcePath(parsing: "/base")

    struct Robot {
        let ports = SimSerialProvider(clock: .realTime(), chunkBytes: 5)
        let clock = ManualClock()
        let dispatcher: Dispatcher

        init() throws {
            ports.attach(.testHost(), at: SelfDescribingMountTests.port)
            let device = IOToySerialDevice(.init(port: SelfDescribingMountTests.port), provider: ports, logger: Logger(label: "test"))
            var tree = ResourceTree(device: "bot", help: "A bot")
            try tree.addMount(Mount(path: SelfDescribingMountTests.base, kind: "iotoy_serial", component: device, owner: HardwareOwner(name: "serial"), help: "The Uno"))
            #expect(tree.node(at: try ResourcePath(parsing: "/base/add")) == nil, "nothing is known before the device answers")
            dispatcher = Dispatcher(tree: tree, clock: clock, wallClock: { 1_700_000_000 }, logger: Logger(label: "test"))
        }

        func path(_ text: String) -> ResourcePath { try! ResourcePath(parsing: text) }
    }

    @Test func theDeviceDescribesItsDirectoryAndComesBackAsANewSketch() async throws {
        let robot = try Robot()
        let stream = robot.dispatcher.changes.subscribe()
        var events = stream.makeAsyncIterator()
        let dispatcher = robot.dispatcher
        let task = Task { await dispatcher.run() }
        defer { task.cancel() }
        #expect(await events.next(.started)?.path == Self.base)

        let directory = try JSONValue.decoding(try await dispatcher.get(Self.base))
        #expect(directory["href"] == .string("/base/"))
        #expect(directory["help"] == .string("The Uno"))
        guard case .array(let children)? = directory["value"] else { Issue.record("no children"); return }
        #expect(children.contains(.string("add")) && children.contains(.string("some_flag")))
        let devinfo = try JSONValue.decoding(try await dispatcher.get(Dispatcher.deviceInfoPath))
        #expect(devinfo["value"]?["funcs"]?["base/add"]?["value"]?["spec"] != nil)
        #expect(try JSONValue.decoding(try await dispatcher.post(robot.path("/base/add"), .json(.array([.int(2), .int(3)]))))["value"] == .int(5))
        #expect(try JSONValue.decoding(try await dispatcher.put(robot.path("/base/ratio"), .text("2.5")))["value"]?.doubleValue == 2.5)
        await #expect { try await dispatcher.put(robot.path("/base/turn_time_ms"), .text("20000")) } throws: { ($0 as? IOToyError)?.status == 409 }

        robot.ports.unplug(Self.port)
        #expect(await events.next(.fault)?.path == Self.base, "the idle watch saw the hang-up")
        await #expect { try await dispatcher.get(robot.path("/base/ratio")) } throws: { ($0 as? IOToyError)?.status == 503 }
        await #expect { try await dispatcher.get(robot.path("/base/lift")) } throws: { ($0 as? IOToyError)?.status == 503 }
        await #expect { try await dispatcher.get(robot.path("/elsewhere")) } throws: { ($0 as? IOToyError)?.status == 404 }

        robot.ports.replug(Self.port, device: .legController())
        await robot.clock.waitForSleepers(1)
        robot.clock.advance(by: .seconds(1))
        #expect(await events.next(.recovered)?.path == Self.base)
        guard case .array(let after)? = try JSONValue.decoding(try await dispatcher.get(Self.base))["value"] else { Issue.record("no children"); return }
        #expect(after == [.string("lift"), .string("swing"), .string("move"), .string("center")])
        await #expect { try await dispatcher.get(robot.path("/base/add")) } throws: { ($0 as? IOToyError)?.status == 404 }
        #expect(try JSONValue.decoding(try await dispatcher.post(robot.path("/base/move"), .json(.array([.int(45), .int(100)]))))["type"] == .string(TypeURI.null))
        #expect(try JSONValue.decoding(try await dispatcher.get(robot.path("/base/lift")))["value"] == .int(45))
        let updated = try JSONValue.decoding(try await dispatcher.get(Dispatcher.deviceInfoPath))
        #expect(updated["value"]?["attrs"]?["base/lift"] != nil)
        #expect(updated["value"]?["funcs"]?["base/add"] == nil)
    }
}
