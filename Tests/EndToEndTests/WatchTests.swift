import Foundation
import IOToyClient
import IOToyCore
import Testing

/// `iotoy watch` and the client library's streams against the real binary.
@Suite(.serialized) struct WatchTests {
    @Test func iotoyWatchPrintsEachChangeAndEndsCleanlyOnCtrlC() async throws {
        let daemon = try await Daemon()
        defer { _ = daemon.stop() }
        let watch = Process()
        watch.executableURL = Daemon.binary.deletingLastPathComponent().appendingPathComponent("iotoy")
        watch.arguments = ["watch", "127.0.0.1:\(daemon.port)/bumper"]
        let stdout = Pipe()
        watch.standardOutput = stdout
        watch.standardError = FileHandle.nullDevice
        try watch.run()
        let output = LogBuffer()
        let handle = stdout.fileHandleForReading
        Thread.detachNewThread {
            while case let chunk = handle.availableData, !chunk.isEmpty { output.append(String(decoding: chunk, as: UTF8.self)) }
        }
        #expect(await output.wait(for: "  /bumper  false\n"), "the current value first: \(output.text)")
        #expect(try await daemon.request(.put, "/_sim/gpio/pinctrl-bcm2711/GPIO27", body: "0").status == 200)
        #expect(await output.wait(for: "  /bumper  true\n"), "the press: \(output.text)")
        let line = output.text.split(separator: "\n").last { $0.hasSuffix("/bumper  true") } ?? ""
        #expect(line.range(of: #"^\d\d:\d\d:\d\d\.\d\d\d  /bumper  true$"#, options: .regularExpression) != nil, "\(line)")
        watch.interrupt()                                     // Ctrl-C
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)
        #expect(watch.terminationReason == .exit)
    }

    @Test func theLibraryReconnectsAfterADropAndSaysWhatItMissed() async throws {
        var first = try await Daemon()
        let port = first.port
        let disconnects = LogBuffer()
        let connection = IOToyConnection(urlHost: "127.0.0.1", port: port, deviceLabel: "test")
        var events = connection.events("/", onDisconnect: { disconnects.append($0 + "\n") }).makeAsyncIterator()
        var seen: [String] = []
        while seen.count < 100, let event = try await events.next() {
            seen.append(event.event)
            if event.data.contains("\"href\":\"/bumper\"") { break }
        }
        #expect(try await first.request(.put, "/tail", body: "20").status == 200)
        while let event = try await events.next(), !event.data.contains("\"href\":\"/tail\"") {}
        _ = first.stop()                                      // the network drops…
        first = try await Daemon(port: port) // …and the robot is back on the same port
        defer { _ = first.stop() }
        var afterReconnect: [String] = []
        while afterReconnect.count < 100, let event = try await events.next() {
            afterReconnect.append(event.event)
            if event.event == "value", afterReconnect.contains("reset") { break }
        }
        #expect(disconnects.text.isEmpty == false, "the drop was reported")
        // (Events the old process sent before it stopped may come first.)
        #expect(afterReconnect.contains("reset"), "the new process does not have the old events: \(afterReconnect)")
    }
}
