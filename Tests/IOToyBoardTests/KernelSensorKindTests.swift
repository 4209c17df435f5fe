import IOToyCore
import IOToyDispatcher
import IOToyHAL
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyBoard

/// `iio` and `hwmon` entries: what they claim and which owner they run on, the tree they
/// make on simulated kernel devices (channels found at start, in SI units, chosen and
/// renamed), and a device that is not there: a fault naming it, retried until it appears.
@Suite struct KernelSensorKindTests {
    static let board = """
        device: cat
        hardware:
          i2c1: { kind: i2c, bus: 1 }
        resources:
          inside:  { kind: iio, device: bme280, i2c: i2c1, address: 0x77, poll_ms: 500 }
          power:   { kind: iio, device: ina219, channels: { voltage1: bus_voltage, current3: current } }
          cpu:     { kind: hwmon, device: lm75, channels: [temperature1] }
        """

    @Test func anAddressIsClaimedAndEachDeviceHasItsOwnOwner() throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board, file: "board.yaml")
        let inside = try #require(board.components.first { $0.path.description == "/inside" })
        #expect(inside.plan.claims.map(\.resource) == [.i2cAddress(bus: 1, address: 0x77)])
        #expect(inside.plan.owner.description == "iio:bme280@i2c-1/0x77")
        let cpu = try #require(board.components.first { $0.path.description == "/cpu" })
        #expect(cpu.plan.claims.isEmpty)
        #expect(cpu.plan.owner.description == "hwmon:lm75")
    }

    @Test func theChannelsAreMountedInSIUnits() async throws {
        let tree = try await SimulatedTree(yaml: Self.board)
        defer { Task { await tree.stop() } }
        #expect(try await tree.value("/inside/temperature")?.doubleValue == 25.08)
        #expect(try await tree.value("/inside/pressure")?.doubleValue == 1006.5325)
        #expect(try await tree.value("/inside/humidity")?.doubleValue == 54.997)
        #expect(try await tree.value("/power/bus_voltage")?.doubleValue == 5)
        #expect(try await tree.value("/power/current")?.doubleValue == 0.25)
        #expect(try await tree.value("/cpu/temperature1")?.doubleValue == 25.5)
        // Only the chosen channels, under their new names, with units.
        let power = try JSONValue.decoding(try await tree.dispatcher.get(try ResourcePath(parsing: "/power")))
        #expect(power["value"]?.names == ["bus_voltage", "current"])
        let voltage = try JSONValue.decoding(try await tree.dispatcher.get(try ResourcePath(parsing: "/power/bus_voltage")))
        #expect(voltage["constraints"]?["unit"] == .string("V"))
        #expect(voltage["help"]?.stringValue?.contains("Voltage in V, from in_voltage1_raw × in_voltage1_scale of ina219") == true)
        await #expect { try await tree.dispatcher.get(try ResourcePath(parsing: "/power/voltage0")) } throws: {
            ($0 as? IOToyError)?.status == 404
        }
        // A new reading is served from the next sample.
        let device = try #require(tree.hardware.kernelSensors.device(KernelSensorSelector(subsystem: .iio, name: "bme280")))
        device.set("temperature", 19.5)
        var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
        await tree.clock.waitForSleepers(3)
        tree.clock.advance(by: .milliseconds(500))
        while let event = await events.next(), !(event.kind == .sample && event.path.description == "/inside/temperature") {}
        #expect(try await tree.value("/inside/temperature")?.doubleValue == 19.5)
    }

    @Test func aMissingDeviceFaultsNamingItAndIsFoundOnceItAppears() async throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board, file: "board.yaml")
        let hardware = SimulatedHardware()   // nothing bound yet
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        defer { Task { await tree.stop() } }
        var events = tree.dispatcher.changes.subscribe().makeAsyncIterator()
        await #expect { try await tree.value("/inside/temperature") } throws: {
            guard let error = $0 as? IOToyError else { return false }
            return error.status == 503 && error.message.contains("iio device 'bme280' on i2c-1 address 0x77")
                && error.message.contains("the kernel has no iio device of that name")
        }
        hardware.kernelSensors.add(SimKernelSensorDevice.typical(KernelSensorSelector(subsystem: .iio, name: "bme280", i2cBus: 1, address: 0x77)))
        await tree.clock.waitForSleepers(3)
        tree.clock.advance(by: .seconds(1))
        while let event = await events.next(), !(event.kind == .recovered && event.path.description == "/inside") {}
        #expect(try await tree.value("/inside/temperature")?.doubleValue == 25.08)
        await #expect { try await tree.value("/cpu/temperature1") } throws: { ($0 as? IOToyError)?.status == 503 }
    }

    @Test func aChannelTheDeviceLacksIsAFaultNamingThoseItHas() async throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board, file: "board.yaml")
        let hardware = board.simulatedHardware()
        let lm75 = try #require(hardware.kernelSensors.device(KernelSensorSelector(subsystem: .hwmon, name: "lm75")))
        hardware.kernelSensors.remove(lm75)
        hardware.kernelSensors.add(SimKernelSensorDevice(
            subsystem: .hwmon, kernelName: "lm75",
            channels: [(KernelSensorChannel(name: "temperature2", quantity: .temperature, source: "temp2_input"), 30)]))
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        defer { Task { await tree.stop() } }
        await #expect { try await tree.value("/cpu/temperature1") } throws: {
            guard let error = $0 as? IOToyError else { return false }
            return error.status == 503 && error.message.contains("lm75 (simulated): find channel 'temperature1'") && error.message.contains("it has temperature2")
        }
        #expect(try await tree.value("/inside/temperature")?.doubleValue == 25.08)
    }

    @Test func aFailingReadFaultsTheSensorAndTheRestServes() async throws {
        let tree = try await SimulatedTree(yaml: Self.board)
        defer { Task { await tree.stop() } }
        let device = try #require(tree.hardware.kernelSensors.device(KernelSensorSelector(subsystem: .hwmon, name: "lm75")))
        device.failReads(errno: 5)
        await #expect { try await tree.dispatcher.get(try ResourcePath(parsing: "/cpu/temperature1"), fresh: true) } throws: {
            guard let error = $0 as? IOToyError else { return false }
            return error.status == 503 && error.message.contains("lm75 (simulated)") && error.message.contains("temp1_input")
        }
        #expect(try await tree.value("/inside/temperature")?.doubleValue == 25.08)
    }
}

