import IOToyCore
import IOToyHAL
import Testing
@testable import IOToyDispatcher

@Suite struct DispatcherRoutingTests {
    @Test func rootListsChildrenInOrderAndDevinfo() async throws {
        let rig = try Rig()
        let root = try JSONValue.decoding(try await rig.dispatcher.get(.root))
        #expect(root["type"] == .string("iotoy.org/type/dir"))
        #expect(root["href"] == .string("/"))
        #expect(root["value"] == .array(["leg", "eyes", "bumper", "climate", "devinfo"].map(JSONValue.string)))
        let leg = try JSONValue.decoding(try await rig.dispatcher.get(try ResourcePath(parsing: "/leg/")))
        #expect(leg["href"] == .string("/leg/"))
        #expect(leg["value"] == .array([.string("lift")]))
        let climate = try JSONValue.decoding(try await rig.dispatcher.get(try ResourcePath(parsing: "/climate")))
        #expect(climate["help"] == .string("Climate"))
    }

    @Test func devinfoDescribesEveryAttributeAndFunction() async throws {
        let rig = try Rig()
        let info = try JSONValue.decoding(try await rig.dispatcher.get(Dispatcher.deviceInfoPath))
        #expect(info["type"] == .string("iotoy.org/type/json"))
        #expect(info["help"] == .string("Device description"))
        let value = try #require(info["value"])
        #expect(value["devicename"] == .string("robocat"))
        #expect(value["attrs"]?["leg/lift"] == .object(["type": .string("float"), "help": .string("Lift"), "href": .string("/leg/lift")]))
        #expect(value["attrs"]?["climate/humidity"]?["type"] == .string("float"))
        #expect(value["funcs"]?["eyes/toggle"]?["value"]?["spec"]?["result"] == .array([.array([.string("value"), .string("bool")])]))
    }

    @Test func unknownPathsAreNotFoundAndMethodsAreListed() async throws {
        let rig = try Rig()
        await #expect { try await rig.dispatcher.get(try ResourcePath(parsing: "/tail")) } throws: { ($0 as? IOToyError)?.status == 404 }
        #expect(rig.dispatcher.methods(at: Rig.lift) == ["GET", "PUT"])
        #expect(rig.dispatcher.methods(at: Rig.temperature) == ["GET"])
        #expect(rig.dispatcher.methods(at: Rig.toggle) == ["GET", "POST"])
        await #expect { try await rig.dispatcher.put(Rig.temperature, .text("3")) } throws: {
            ($0 as? IOToyError)?.kind == .methodNotAllowed(allow: ["GET"])
        }
        await #expect { try await rig.dispatcher.post(Rig.lift, .empty) } throws: {
            ($0 as? IOToyError)?.kind == .methodNotAllowed(allow: ["GET", "PUT"])
        }
    }

    @Test func putChecksTypeAndLimitsBeforeTouchingHardware() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        defer { task.cancel() }
        let answer = try JSONValue.decoding(try await rig.dispatcher.put(Rig.lift, .text("45")))
        #expect(answer["value"]?.doubleValue == 45)
        #expect(answer["constraints"] == .object(["min": .int(20), "max": .int(160), "unit": .string("deg")]))
        #expect(rig.pwm.state(of: 0)?.dutyNs == 1_000_000)
        _ = try await rig.dispatcher.put(Rig.lift, .json(.object(["value": .int(135)])))
        #expect(rig.pwm.state(of: 0)?.dutyNs == 2_000_000)
        let history = rig.pwm.history.count
        await #expect { try await rig.dispatcher.put(Rig.lift, .text("161")) } throws: { ($0 as? IOToyError)?.status == 422 }
        await #expect { try await rig.dispatcher.put(Rig.lift, .text("ninety")) } throws: { ($0 as? IOToyError)?.status == 400 }
        await #expect { try await rig.dispatcher.put(Rig.lift, .empty) } throws: { ($0 as? IOToyError)?.status == 400 }
        await #expect { try await rig.dispatcher.put(Rig.lift, .json(.string("45"))) } throws: { ($0 as? IOToyError)?.status == 400 }
        #expect(rig.pwm.history.count == history)
        #expect(rig.pwm.state(of: 0)?.dutyNs == 2_000_000)
    }

    @Test func postConvertsArgumentsToTheSpec() async throws {
        let rig = try Rig()
        let (task, _) = await rig.start()
        defer { task.cancel() }
        let result = try JSONValue.decoding(try await rig.dispatcher.post(Rig.toggle, .empty))
        #expect(result == .object(["type": .string("bool"), "name": .string("value"), "value": .bool(true)]))
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == true)
        await #expect { try await rig.dispatcher.post(Rig.toggle, .text("now")) } throws: { ($0 as? IOToyError)?.status == 400 }
        await #expect { try await rig.dispatcher.post(Rig.toggle, .json(.array([.int(1)]))) } throws: { ($0 as? IOToyError)?.status == 400 }
        #expect(rig.chip.physicalLevel(line: .name("GPIO17")) == true)
    }

    @Test func beforeStartComponentsAnswer503() async throws {
        let rig = try Rig()
        await #expect { try await rig.dispatcher.put(Rig.lift, .text("45")) } throws: { ($0 as? IOToyError)?.status == 503 }
        #expect(rig.pwm.history.isEmpty)
    }
}
