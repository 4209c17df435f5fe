import IOToyClient
import Testing

/// The linguistic mapping of the original Python client, against the real server.
@Suite struct DeviceMappingTests {
    @Test func membersAreTheDevicesOwnResources() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            #expect(cat.name == "robocat")
            #expect(cat.connection.baseURL == "http://127.0.0.1:\(port)")

            let set = try await cat.front_left_leg.lift.set(45)
            #expect(set.value.doubleValue == 45)
            #expect(set.constraints == Constraints(min: 20, max: 160, unit: "deg"))
            #expect(try await cat.front_left_leg.lift.value().doubleValue == 45)
            #expect(try await cat.climate.temperature.value() == .double(25.08))
            #expect(try await cat.climate.temperature.value(fresh: true).doubleValue != nil)

            #expect(try await cat.eyes.value() == .bool(false))
            #expect(try await cat.eyes.toggle() == .bool(true))
            #expect(try await cat.eyes.value() == .bool(true))

            #expect(try cat.front_left_leg.lift.kind == .attribute(.float))
            #expect(try cat.front_left_leg.lift.help == "Lift the leg (degrees)")
            #expect(try cat["front_left_leg/lift"].path == cat.front_left_leg.lift.path)
        }
    }

    @Test func functionsTakeTypedArguments() async throws {
        try await LiveDevice.serve { port in
            let device = try await IOToy.device("127.0.0.1:\(port)")
            #expect(try await device.calc.add(2, 40) == .int(42))
            #expect(try await device.calc.say(2, "hi there") == .string("hi there hi there"))
            #expect(try await device.calc.say.call([3, "ho"]) == .string("ho ho ho"))
            let typed = try await device.calc.say.call(parsing: ["2", "hello", "world"])
            #expect(typed == CallResult(type: "str", name: "said", value: .string("hello world hello world")))
            try await device.calc.memory.set(12)
            #expect(try await device.calc.clear() == nil)
            #expect(try await device.calc.memory.value().doubleValue == 0)
            #expect(try await device.calc["value"].value() == .int(7))
        }
    }

    @Test func mistakesAreCaughtBeforeAnythingIsSent() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            #expect(throws: IOToyClientError.noSuchResource(path: "/front_left_leg/lfit", suggestions: ["lift", "swing"])) {
                _ = try cat.front_left_leg.lfit
            }
            await #expect(throws: IOToyClientError.wrongArgumentCount(path: "/calc/add", usage: "a:int b:int", given: 1)) {
                try await cat.calc.add(2)
            }
            await #expect(throws: IOToyClientError.badArgument(path: "/calc/add", reason: "a: '\"two\"' is not a valid int")) {
                try await cat.calc.add("two", 3)
            }
            await #expect(throws: IOToyClientError.badArgument(path: "/front_left_leg/lift", reason: "'high' is not a valid float")) {
                try await cat.front_left_leg.lift.set(parsing: "high")
            }
            await #expect(throws: IOToyClientError.wrongKind(path: "/eyes/toggle", is: "a function", wanted: "an attribute to set")) {
                try await cat.eyes.toggle.set(true)
            }
            await #expect(throws: IOToyClientError.wrongKind(path: "/front_left_leg", is: "a directory", wanted: "a function")) {
                try await cat.front_left_leg()
            }
        }
    }

    @Test func directoriesListTheirNamesInTheDevicesOrder() async throws {
        try await LiveDevice.serve { port in
            let cat = try await IOToy.device("127.0.0.1:\(port)")
            #expect(try await cat.front_left_leg.children() == ["lift", "swing"])
            #expect(try await cat.root.children() == ["front_left_leg", "tail", "eyes", "bumper", "climate", "base", "headlight", "distance", "imu", "battery", "calc", "broken", "devinfo"])
            #expect(cat.info.childNames(of: .root).contains("calc"))
            #expect(try cat.front_left_leg.href == "/front_left_leg/")
            let representation = try await cat.front_left_leg.representation()
            #expect(representation.help == "Front left leg")
        }
    }
}
