import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyBoard
import IOToyCore
import IOToySim
import IOToyTesting
import Testing
@testable import IOToyHTTP

/// differential_drive, mpu6050 and ads1115 through the real responder over HTTP, on a board's
/// simulated chips: a drive call reaches the motor hat's duty registers and a bad one reaches
/// nothing; the IMU's vector and axes and the ADC's scaled channel come back with their units.
@Suite struct RobotKindsHTTPTests {
    static let board = """
        device: rover
        hardware:
          i2c1: { kind: i2c, bus: 1 }
          motors: { kind: pca9685, i2c: i2c1, address: 0x60, frequency_hz: 1500 }
        resources:
          base:
            kind: differential_drive
            left:  { in1: motors/0, in2: motors/1 }
            right: { in1: motors/2, in2: motors/3, invert: true }
          imu: { kind: mpu6050, i2c: i2c1, address: 0x68, accel_range_g: 4, poll_ms: 100 }
          adc:
            kind: ads1115
            i2c: i2c1
            address: 0x48
            poll_ms: 100
            channels:
              battery: { input: a0, full_scale_v: 4.096, scale: 3 }
        """

    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func driveReachesTheHatAndSensorsAnswerWithUnits() async throws {
        let board = try BoardLoader(registry: .standard).parse(yaml: Self.board, file: "rover.yaml")
        let hardware = board.simulatedHardware()
        let bus = hardware.i2c.bus(1)
        let hat = try #require(bus.device(at: 0x60) as? SimPCA9685)
        let imu = try #require(bus.device(at: 0x68) as? SimMPU6050)
        let adc = try #require(bus.device(at: 0x48) as? SimADS1115)
        imu.setMotion(.init(acceleration: (0.5, -0.25, 1), angularRate: (10, -20, 0), temperatureCelsius: 25.53))
        adc.setVolts(2.5, on: 0)                 // 7.5 V of battery behind a 1:3 divider
        @Sendable func duties() -> [Double] {
            (0..<4).map { (hat.pulseWidthNs(channel: $0) / hat.periodNs * 100).rounded() / 100 }
        }
        let tree = try await SimulatedTree(board: board, hardware: hardware)
        let app = Application(responder: IOToyResponder(dispatcher: tree.dispatcher))
        do {
            try await app.test(.router) { client in
                try await client.execute(uri: "/base", method: .get) { response in
                    #expect(response.status == .ok)
                    let names = Set(response.json?["value"]?.names ?? [])
                    #expect(names.isSuperset(of: ["drive", "stop", "left", "right"]), "\(names)")
                }
                // Half speed ahead: each motor's forward input at half duty (the right one is
                // wired the other way round), the other input off.
                try await client.execute(uri: "/base/drive", method: .post, headers: Self.json, body: ByteBuffer(string: "[0.5, 0]")) { response in
                    #expect(response.status == .ok)
                }
                #expect(duties() == [0.5, 0, 0, 0.5])
                try await client.execute(uri: "/base/left/speed", method: .get) { response in
                    #expect(response.json?["value"]?.doubleValue == 0.5)
                }
                // Out of range and a wrong count: refused over HTTP, the hat untouched.
                try await client.execute(uri: "/base/drive", method: .post, headers: Self.json, body: ByteBuffer(string: "[1.5, 0]")) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(response.json?["value"]?["error"] == .string("out_of_range"))
                }
                try await client.execute(uri: "/base/drive", method: .post, body: ByteBuffer(string: "0.5")) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.json?["value"]?["error"] == .string("wrong_arguments"))
                }
                #expect(duties() == [0.5, 0, 0, 0.5])
                // Text arguments work as the original client sends them; stop ends it.
                try await client.execute(uri: "/base/drive", method: .post, body: ByteBuffer(string: "0.25 0")) { response in
                    #expect(response.status == .ok)
                }
                #expect(duties() == [0.25, 0, 0, 0.25])
                try await client.execute(uri: "/base/stop", method: .post) { response in
                    #expect(response.status == .ok)
                }
                #expect(duties() == [0, 0, 0, 0])
                try await client.execute(uri: "/base/right/speed", method: .get) { response in
                    #expect(response.json?["value"]?.doubleValue == 0)
                }

                try await client.execute(uri: "/imu/acceleration", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.json?["type"] == .string("iotoy.org/types/json"))
                    let vector = ["x", "y", "z"].map { response.json?["value"]?[$0]?.doubleValue }
                    #expect(vector == [0.5, -0.25, 1])
                    #expect(response.json?["constraints"]?["unit"] == .string("g"))
                }
                try await client.execute(uri: "/imu/angular_rate_y", method: .get) { response in
                    #expect(response.json?["value"]?.doubleValue == -20)
                    #expect(response.json?["constraints"]?["unit"] == .string("deg/s"))
                }
                try await client.execute(uri: "/imu/temperature", method: .put, body: ByteBuffer(string: "20")) { response in
                    #expect(response.status == .methodNotAllowed)
                }

                try await client.execute(uri: "/adc/battery", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.json?["value"]?.doubleValue == 7.5)
                    #expect(response.json?["constraints"]?["unit"] == .string("V"))
                }
                try await client.execute(uri: "/adc/batery", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        } catch {
            await tree.stop()
            throw error
        }
        await tree.stop()
    }
}
