import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyCore
import IOToySim
import Testing

/// Limits hold before hardware, for any input: thousands of random bodies (numbers in and far
/// out of range, text, JSON of every shape, odd Content-Types) PUT and POSTed to every actuator
/// of the demo, and after each one nothing outside its limits has reached the simulated PWM.
@Suite struct LimitsPropertyTests {
    /// SplitMix64: a seeded generator, so a failure is reproducible from its seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomBody(_ random: inout SeededGenerator) -> (body: String, contentType: String?) {
        let number: Double = switch Int.random(in: 0..<5, using: &random) {
        case 0: Double.random(in: -400...400, using: &random)
        case 1: Double.random(in: -1e12...1e12, using: &random)
        case 2: Double(Int.random(in: -200...200, using: &random))
        case 3: [19.999, 20, 160, 160.0001, -45.0001, 45.00001, 180.5, -0.0][Int.random(in: 0..<8, using: &random)]
        default: Double.random(in: 0...180, using: &random)
        }
        let text: String = switch Int.random(in: 0..<12, using: &random) {
        case 0: "\(number)"
        case 1: #"{"value": \#(number)}"#
        case 2: "[\(number)]"
        case 3: #"{"value": "\#(number)"}"#
        case 4: ["nan", "inf", "-inf", "1e400", "0x50", "", " ", "true", "null", "{}", "[]", "\u{0}"][Int.random(in: 0..<12, using: &random)]
        case 5: #"{"value": {"value": \#(number)}}"#
        case 6: #"{"args": [\#(number)]}"#
        case 7: String(repeating: "9", count: Int.random(in: 1...400, using: &random))
        case 8: "\(Int(number))"
        case 9: #"{"value": \#(number), "extra": 1}"#
        case 10: "\(number) \(number)"
        default: String((0..<Int.random(in: 0...20, using: &random)).map { _ in Character(UnicodeScalar(UInt8.random(in: 32...126, using: &random))) })
        }
        let type = [nil, "application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream", "image/png"]
        return (text, type[Int.random(in: 0..<type.count, using: &random)])
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func nothingOutsideTheLimitsReachesThePWM(seed: UInt64) async throws {
        let server = try DemoServer()
        // Each servo's allowed pulse widths, from its limits: lift 20…160° on 500…2500 µs over
        // 0…180°, swing 0…180°, tail -45…45° on 1000…2000 µs.
        func pulseUs(_ angle: Double, range: ClosedRange<Double>, pulses: ClosedRange<Double>) -> Double {
            pulses.lowerBound + (angle - range.lowerBound) / (range.upperBound - range.lowerBound) * (pulses.upperBound - pulses.lowerBound)
        }
        // The PCA9685 sets pulses in 1/4096 of the 20 ms period (4.88 µs): one step of slack.
        let step = 20_000.0 / 4096
        let liftAllowed = (pulseUs(20, range: 0...180, pulses: 500...2500) - step)...(pulseUs(160, range: 0...180, pulses: 500...2500) + step)
        let swingAllowed = (500.0 - step)...(2500.0 + step)
        let tailAllowedNs = UInt64(1_000_000)...UInt64(2_000_000)
        let targets = ["/front_left_leg/lift", "/front_left_leg/swing", "/tail", "/eyes", "/eyes/toggle"]
        // The requests are drawn first (the generator is not shared with the test client's task).
        var random = SeededGenerator(state: seed)
        let requests = (0..<700).map { _ -> (String, String, String?, HTTPRequest.Method) in
            let target = targets[Int.random(in: 0..<targets.count, using: &random)]
            let (body, contentType) = Self.randomBody(&random)
            return (target, body, contentType, Bool.random(using: &random) ? .put : .post)
        }
        try await server.test { client in
            for (target, body, contentType, method) in requests {
                var headers: HTTPFields = [:]
                if let contentType { headers[.contentType] = contentType }
                let status = try await client.execute(uri: target, method: method, headers: headers, body: ByteBuffer(string: body)).status.code
                #expect(status < 500, "\(method) \(target) \(body): \(status)")
                let lift = server.hatPulseUs(0), swing = server.hatPulseUs(1)
                #expect(liftAllowed.contains(lift) || lift == 0, "lift pulse \(lift) µs after \(method) \(target) \(body)")
                #expect(swingAllowed.contains(swing) || swing == 0, "swing pulse \(swing) µs after \(method) \(target) \(body)")
            }
        }
        for record in server.hardware.pwm.chip("pwmchip0")?.history ?? [] where record.channel == 0 && record.state.enabled {
            #expect(tailAllowedNs.contains(record.state.dutyNs), "tail duty \(record.state.dutyNs) ns ever written")
        }
    }
}
