import IOToyCore
import MetricsTestKit
import Testing
@testable import IOToyMetrics

/// The request instruments: one series per method and status, one timer per method, made on
/// first use and found again after, whichever of the instruments' two homes (status 200's
/// slots or the dictionary) holds them.
@Suite struct HTTPMetricsTests {
    @Test func eachMethodAndStatusIsCountedOnItsOwnSeries() throws {
        let factory = TestMetrics()
        let metrics = HTTPMetrics(factory: factory)
        for _ in 0..<3 { metrics.record(method: "GET", status: 200, duration: .microseconds(40)) }
        metrics.record(method: "GET", status: 404, duration: .microseconds(50))
        metrics.record(method: "GET", status: 404, duration: .microseconds(50))
        metrics.record(method: "PUT", status: 422, duration: .microseconds(60))      // no timer for PUT yet, nor a 200
        metrics.record(method: "PUT", status: 200, duration: .microseconds(70))
        metrics.record(method: "BREW", status: 405, duration: .microseconds(80))
        metrics.record(method: "PROPFIND", status: 200, duration: .microseconds(90))

        func count(_ method: String, _ status: String) throws -> Int64 {
            try factory.expectCounter(HTTPMetrics.Name.requests, [("method", method), ("status", status)]).totalValue
        }
        #expect(try count("GET", "200") == 3)
        #expect(try count("GET", "404") == 2)
        #expect(try count("PUT", "422") == 1)
        #expect(try count("PUT", "200") == 1)
        #expect(try count("other", "405") == 1, "a method outside the usual few is not a label of its own")
        #expect(try count("other", "200") == 1)
        #expect(throws: (any Error).self) { try factory.expectCounter(HTTPMetrics.Name.requests, [("method", "BREW"), ("status", "405")]) }

        func durations(_ method: String) throws -> [Int64] {
            try factory.expectTimer(HTTPMetrics.Name.duration, [("method", method)]).values
        }
        #expect(try durations("GET") == [40_000, 40_000, 40_000, 50_000, 50_000])
        #expect(try durations("PUT") == [60_000, 70_000])
        #expect(try durations("other") == [80_000, 90_000])
    }

    @Test func aDurationIsRecordedInWholeNanoseconds() {
        #expect(Duration.seconds(2).totalNanoseconds == 2_000_000_000)
        #expect((Duration.seconds(1) + .nanoseconds(7)).totalNanoseconds == 1_000_000_007)
        #expect(Duration(secondsComponent: 0, attosecondsComponent: 1_999_999_999).totalNanoseconds == 1, "attoseconds below a nanosecond are dropped")
        #expect(Duration.zero.totalNanoseconds == 0)
    }
}
