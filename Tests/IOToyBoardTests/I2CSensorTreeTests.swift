import IOToyCore
import IOToyDispatcher
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyBoard

/// The I2C sensor kinds end to end: a board loaded by the loader, its simulated hardware
/// fitted from the kinds' own models, the tree built and served by the dispatcher; a GET
/// answers what the model was given, with the unit in the representation.
@Suite struct I2CSensorTreeTests {
    /// Loads `yaml`, lets `prepare` set the fitted models, then serves it.
    static func serve(_ yaml: String, prepare: (SimI2CBus) throws -> Void) async throws -> SimulatedTree {
        let board = try BoardLoader(registry: .standard).parse(yaml: yaml, file: "robot.yaml")
        let hardware = board.simulatedHardware()
        try prepare(hardware.i2c.bus(1))
        return try await SimulatedTree(board: board, hardware: hardware)
    }

    static func representation(_ tree: SimulatedTree, _ path: String, fresh: Bool = false) async throws -> [String: JSONValue] {
        let bytes = try await tree.dispatcher.get(try ResourcePath(parsing: path), fresh: fresh)
        guard case .object(let object) = try JSONCoding.decode(JSONValue.self, from: bytes) else { return [:] }
        return object
    }

    static func unit(_ representation: [String: JSONValue]) -> String? {
        guard case .object(let constraints)? = representation["constraints"], case .string(let unit)? = constraints["unit"] else { return nil }
        return unit
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let number)?: number
        case .int(let number)?: Double(number)
        default: nil
        }
    }

    /// A json `{x, y, z}` as numbers (JSON has one number type: 1.0 may come back as 1).
    static func vector(_ value: JSONValue?) -> [Double?] {
        guard case .object(let object)? = value, object.count == 3 else { return [] }
        return ["x", "y", "z"].map { number(object[$0]) }
    }

    @Test func anADS1115ServesEachDeclaredChannelScaled() async throws {
        let yaml = """
            device: rover
            hardware:
              i2c1: { kind: i2c, bus: 1 }
            resources:
              analog:
                kind: ads1115
                i2c: i2c1
                address: 0x49
                poll_ms: 200
                channels:
                  battery: { input: a0, full_scale_v: 4.096, scale: 3 }
                  knob: { input: a1-a3, full_scale_v: 2.048, scale: 100, offset: -50, unit: deg }
            """
        let tree = try await Self.serve(yaml) { bus in
            let model = try #require(bus.device(at: 0x49) as? SimADS1115)
            model.setVolts(2.5, on: 0)    // 7.5 V of battery behind a 1:3 divider
            model.setVolts(1.25, on: 1)
            model.setVolts(0.5, on: 3)    // 0.75 V across the pair
        }
        let battery = try await Self.representation(tree, "/analog/battery")
        #expect(Self.number(battery["value"]) == 7.5)
        #expect(Self.unit(battery) == "V")
        let knob = try await Self.representation(tree, "/analog/knob")
        #expect(Self.number(knob["value"]) == 25)
        #expect(Self.unit(knob) == "deg")
        let model = try #require(tree.hardware.i2c.bus(1).device(at: 0x49) as? SimADS1115)
        model.setVolts(3.0, on: 0)
        #expect(Self.number(try await Self.representation(tree, "/analog/battery", fresh: true)["value"]) == 9)
        await tree.stop()
    }

    @Test func anINA219ServesTheDatasheetExample() async throws {
        let yaml = """
            device: rover
            hardware:
              i2c1: { kind: i2c, bus: 1 }
            resources:
              supply: { kind: ina219, i2c: i2c1, address: 0x45, shunt_ohms: 0.002, max_current_a: 32.768 }
            """
        let tree = try await Self.serve(yaml) { bus in
            let model = try #require(bus.device(at: 0x45) as? SimINA219)
            model.setShuntVolts(0.020)
            model.setBusVolts(11.98)
        }
        let expected: [(String, Double, String)] = [
            ("bus_voltage", 11.98, "V"), ("shunt_voltage", 20, "mV"), ("current", 10, "A"), ("power", 119.8, "W"),
        ]
        for (name, value, unit) in expected {
            let representation = try await Self.representation(tree, "/supply/" + name)
            #expect(Self.number(representation["value"]) == value, "\(name)")
            #expect(Self.unit(representation) == unit, "\(name)")
        }
        let model = try #require(tree.hardware.i2c.bus(1).device(at: 0x45) as? SimINA219)
        #expect(model.calibration == 20480)
        await tree.stop()
    }

    @Test func anMPU6050ServesVectorsAndAxes() async throws {
        let yaml = """
            device: rover
            hardware:
              i2c1: { kind: i2c, bus: 1 }
            resources:
              imu: { kind: mpu6050, i2c: i2c1, address: 0x69, accel_range_g: 4, gyro_range_dps: 500, dlpf_hz: 21, poll_ms: 50 }
            """
        let tree = try await Self.serve(yaml) { bus in
            let model = try #require(bus.device(at: 0x69) as? SimMPU6050)
            model.setMotion(.init(acceleration: (0.5, -0.25, 1), angularRate: (10, -20, 0), temperatureCelsius: 25.53))
        }
        #expect(Self.vector(try await tree.value("/imu/acceleration")) == [0.5, -0.25, 1])
        #expect(Self.number(try await tree.value("/imu/acceleration_y")) == -0.25)
        #expect(Self.vector(try await tree.value("/imu/angular_rate")) == [10, -20, 0])
        #expect(Self.number(try await tree.value("/imu/angular_rate_x")) == 10)
        #expect(Self.number(try await tree.value("/imu/temperature")) == 25.53)
        #expect(Self.unit(try await Self.representation(tree, "/imu/angular_rate_z")) == "deg/s")
        #expect(Self.unit(try await Self.representation(tree, "/imu/acceleration")) == "g")
        let model = try #require(tree.hardware.i2c.bus(1).device(at: 0x69) as? SimMPU6050)
        #expect(model.register(SimMPU6050.Register.config) == 4)   // DLPF_CFG 4: 21 Hz
        await tree.stop()
    }

    /// A wrong chip at the address is a fault the GET reports (503) with the id found.
    @Test func anMPU6050LookAlikeFaultsNamingItsID() async throws {
        let yaml = """
            device: rover
            hardware:
              i2c1: { kind: i2c, bus: 1 }
            resources:
              imu: { kind: mpu6050, i2c: i2c1 }
            """
        let tree = try await Self.serve(yaml) { bus in
            bus.attach(SimMPU6050(whoAmI: 0x71), at: 0x68)
        }
        await #expect { try await tree.dispatcher.get(try ResourcePath(parsing: "/imu/temperature")) } throws: { error in
            guard let error = error as? IOToyError else { return false }
            return error.status == 503 && "\(error)".contains("0x71")
        }
        await tree.stop()
    }
}
