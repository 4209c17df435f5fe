import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IOToyCore
import Testing
@testable import IOToyHTTP

/// Query strings of any shape: every string of up to five characters from `=`, `&`, `a` and
/// `w` (all 1,365 of them), and a live request with the one that once crashed the daemon
/// (`?…&=`, found by schemathesis).
@Suite struct QueryStringTests {
    @Test func everySmallQueryIsSplitIntoNamesAndValues() {
        let alphabet: [Character] = ["=", "&", "a", "w"]
        var queries = [""]
        for _ in 1...5 { queries += queries.filter { $0.count == queries.last!.count }.flatMap { query in alphabet.map { query + String($0) } } }
        #expect(queries.count == 1365)
        for query in queries {
            let items = IOToyResponder.queryItems(query)
            #expect(items.count == query.split(separator: "&").count, "\(query)")
            for item in items {
                #expect(!item.name.contains("&") && !item.name.contains("="), "\(query)")
            }
        }
        #expect(IOToyResponder.queryItems("=").map { "\($0.name)|\($0.value ?? "nil")" } == ["|"])
        #expect(IOToyResponder.queryItems("rate_ms=5=6&watch").map { "\($0.name)|\($0.value ?? "nil")" } == ["rate_ms|5=6", "watch|nil"])
    }

    @Test func anEmptyNameIsAnsweredNotACrash() async throws {
        try await DemoServer().test { client in
            for uri in ["/eyes?=", "/eyes?&=", "/eyes?fresh=1&=", "/eyes?==", "/?=&watch=&rate_ms="] {
                try await client.execute(uri: uri, method: .get, headers: [.accept: "application/json"]) { response in
                    #expect([200, 400].contains(response.status.code), "\(uri): \(response.status)")
                }
            }
        }
    }
}
