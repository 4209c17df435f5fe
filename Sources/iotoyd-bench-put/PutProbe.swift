// The benchmark's in-process latency probe (scripts/bench/run.sh, issue 15 §1 "REST write"):
// the time from a PUT of a servo angle leaving the client to the simulated PCA9685's channel
// holding the new pulse, both read from one clock in one process. The board is served on
// simulated hardware by the same responder, server and dispatcher the daemon runs; the client
// sends one PUT at a time on a kept-alive connection, alternating two angles so every PUT
// writes the chip.
//
// Usage: iotoyd-bench-put BOARD PATH BUS ADDRESS [COUNT]
//   BOARD    a board file whose PATH is a servo on a PCA9685 at ADDRESS on i2c bus BUS
//   COUNT    measured PUTs after 200 unmeasured ones (default 2,000)
// Prints one JSON object: the PUT -> duty and PUT -> answer latencies (p50, p90, p99, max) in µs.
import AsyncHTTPClient
import Foundation
import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyHTTP
import IOToySim
import Logging
import NIOCore
import Synchronization

/// The probe: serve, PUT, time, print.
@main enum PutProbe {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 5, let bus = Int(arguments[3]), let address = UInt8(arguments[4].replacingOccurrences(of: "0x", with: ""), radix: 16),
            let count = arguments.count > 5 ? Int(arguments[5]) : 2_000, count > 0
        else {
            fatalError("usage: iotoyd-bench-put BOARD PATH BUS ADDRESS(hex) [COUNT]")
        }
        let path = arguments[2]

        var logger = Logger(label: "iotoyd-bench-put")
        logger.logLevel = .error
        let board = try BoardLoader(registry: .standard).load(path: arguments[1])
        let hardware = board.simulatedHardware()
        guard let chip = hardware.i2c.bus(bus).device(at: address) as? SimPCA9685 else {
            fatalError("no simulated PCA9685 at 0x\(String(address, radix: 16)) on bus \(bus)")
        }
        let tree = try TreeBuilder(platform: hardware.platform, logger: logger).build(board).tree
        let dispatcher = Dispatcher(tree: tree, clock: ContinuousClock(), wallClock: { Date().timeIntervalSince1970 }, logger: logger)
        let dispatching = Task { await dispatcher.run() }
        await dispatcher.waitUntilStarted()

        let (ports, portAnnouncer) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let app = IOToyServer.application(dispatcher: dispatcher, host: "127.0.0.1", port: 0, logger: logger) { portAnnouncer.yield($0) }
        let serving = Task { try await app.runService() }
        var announced = ports.makeAsyncIterator()
        guard let port = await announced.next() else { fatalError("the server did not start") }

        /// When the chip's channel last took a pulse since the slot was emptied.
        let firstWrite = Mutex<ContinuousClock.Instant?>(nil)
        chip.observeChannelWrites { _ in
            let now = ContinuousClock.now
            firstWrite.withLock { if $0 == nil { $0 = now } }
        }

        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        var toDuty: [Duration] = [], toAnswer: [Duration] = []
        for round in 0..<(200 + count) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.method = .PUT
            request.headers.add(name: "Content-Type", value: "text/plain")
            request.body = .bytes(ByteBuffer(string: round % 2 == 0 ? "60" : "120"))
            firstWrite.withLock { $0 = nil }
            let sent = ContinuousClock.now
            let response = try await client.execute(request, timeout: .seconds(5))
            _ = try await response.body.collect(upTo: 1 << 16)
            let answered = ContinuousClock.now
            guard response.status == .ok else { fatalError("PUT \(path) answered \(response.status)") }
            guard let written = firstWrite.withLock({ $0 }) else { fatalError("PUT \(path) answered 200 and wrote no channel") }
            if round >= 200 {
                toDuty.append(sent.duration(to: written))
                toAnswer.append(sent.duration(to: answered))
            }
        }
        try await client.shutdown()

        let figures: [String: JSONValue] = [
            "count": .int(count),
            "put_to_duty": .object(summary(toDuty).mapValues { .double($0) }),
            "put_to_answer": .object(summary(toAnswer).mapValues { .double($0) }),
        ]
        print(String(decoding: try JSONCoding.encode(JSONValue.object(figures)), as: UTF8.self))
        serving.cancel()
        dispatching.cancel()
        exit(0)
    }

    /// p50, p90, p99 and max in microseconds, rounded to 0.1.
    static func summary(_ samples: [Duration]) -> [String: Double] {
        let sorted = samples.map { Double($0.components.attoseconds) / 1e12 + Double($0.components.seconds) * 1e6 }.sorted()
        func percentile(_ p: Double) -> Double { (sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 10).rounded() / 10 }
        return ["p50_us": percentile(0.5), "p90_us": percentile(0.9), "p99_us": percentile(0.99), "max_us": (sorted.last! * 10).rounded() / 10]
    }
}
