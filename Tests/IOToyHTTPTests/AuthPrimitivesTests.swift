import Foundation
import IOToyCore
import Testing
@testable import IOToyHTTP

/// The pieces of access control (issue 12) on their own: roles, trusted networks, the tokens
/// file, the decision table, the failed-authentication limiter and browser sessions.
@Suite struct AuthPrimitivesTests {
    // MARK: Roles and networks

    @Test func rolesAreOrderedReadControlAdmin() {
        #expect(Role.read < .control && Role.control < .admin)
        #expect(Role.allCases.sorted() == [.read, .control, .admin])
        #expect(Role.admin.allows(.read) && Role.admin.allows(.admin) && Role.control.allows(.control))
        #expect(!Role.read.allows(.control) && !Role.control.allows(.admin))
    }

    @Test func parsesNetworksInCIDRNotation() throws {
        let cases: [(text: String, description: String)] = [
            ("127.0.0.0/8", "127.0.0.0/8"), ("::1/128", "::1/128"), ("192.168.1.0/24", "192.168.1.0/24"),
            ("fe80::/10", "fe80::/10"), ("10.1.2.3", "10.1.2.3/32"), ("2001:db8::1", "2001:db8::1/128"),
            ("192.168.1.77/24", "192.168.1.0/24"), ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"),
            ("1:0:0:2:0:0:0:3/128", "1:0:0:2::3/128"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128"),
            ("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"), ("0.0.0.0/0", "0.0.0.0/0"), ("::/0", "::/0"),
            (" 10.0.0.0/8 ", "10.0.0.0/8"), ("64:ff9b::192.0.2.33/96", "64:ff9b::/96"),
        ]
        for (text, description) in cases {
            #expect(try IPNetwork(parsing: text).description == description, "\(text)")
        }
        #expect(IPNetwork.loopback.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(try IPNetwork.loopback == [IPNetwork(parsing: "127.0.0.0/8"), IPNetwork(parsing: "::1")])
    }

    @Test func refusesBadNetworksSayingWhy() {
        func parseError(_ text: String) -> IPNetworkError? {
            switch Result(catching: { () throws(IPNetworkError) -> IPNetwork in try IPNetwork(parsing: text) }) {
            case .success: nil
            case .failure(let error): error
            }
        }
        #expect(parseError("1.2.3.4/33") == .prefixOutOfRange(33, maximum: 32))
        #expect(parseError("::1/129") == .prefixOutOfRange(129, maximum: 128))
        #expect(parseError("10.0.0.0/1000") == .prefixOutOfRange(1000, maximum: 32))
        #expect(parseError("300.1.1.1/8") == .badAddress("300.1.1.1"))
        let badAddresses = [
            "", "/8", "localhost", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1..2.3", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1::2::3", ":::1", ":1::", "1:", "12345::", "g::1", "::1.2.3", "1.2.3.4::",
            "fe80::1%eth0/64", "::ffff:1.2.3.256",
        ]
        for text in badAddresses {
            guard case .badAddress = parseError(text) else {
                Issue.record("\(text): \(String(describing: parseError(text))), expected badAddress")
                continue
            }
        }
        for text in ["1.2.3.4/", "1.2.3.4/x", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/8/9", "::/ 1"] {
            guard case .badPrefix = parseError(text) else {
                Issue.record("\(text): \(String(describing: parseError(text))), expected badPrefix")
                continue
            }
        }
        #expect(IPNetworkError.prefixOutOfRange(33, maximum: 32).description.contains("IPv4"))
        #expect(IPNetworkError.badAddress("300.1.1.1").description.contains("'300.1.1.1'"))
    }

    @Test func containsAddressesAsAServerSeesThem() throws {
        let loopback4 = try IPNetwork(parsing: "127.0.0.0/8"), loopback6 = try IPNetwork(parsing: "::1/128")
        #expect(loopback4.contains("127.0.0.1") && loopback4.contains("127.255.255.255"))
        #expect(!loopback4.contains("128.0.0.1") && !loopback4.contains("126.255.255.255"))
        // An IPv4 client on a dual-stack socket, in both spellings; ::1 is IPv6, not 127.0.0.1.
        #expect(loopback4.contains("::ffff:127.0.0.1") && loopback4.contains("::FFFF:7f00:1"))
        #expect(!loopback4.contains("::1") && !loopback4.contains("::127.0.0.1"))
        #expect(loopback6.contains("::1") && loopback6.contains("0:0:0:0:0:0:0:1") && loopback6.contains("[::1]"))
        #expect(!loopback6.contains("127.0.0.1") && !loopback6.contains("::2"))

        let lan = try IPNetwork(parsing: "192.168.1.0/24")
        #expect(lan.contains("192.168.1.200") && lan.contains("::ffff:192.168.1.5"))
        #expect(!lan.contains("192.168.2.1"))

        let linkLocal = try IPNetwork(parsing: "fe80::/10")
        #expect(linkLocal.contains("fe80::1%eth0") && linkLocal.contains("febf::1") && linkLocal.contains("fe80::1"))
        #expect(!linkLocal.contains("fec0::1") && !linkLocal.contains("fe80::1%"))

        let documentation = try IPNetwork(parsing: "2001:db8::/32")
        #expect(documentation.contains("2001:db8::1") && documentation.contains("2001:0db8:ffff::"))
        #expect(!documentation.contains("2001:db9::1"))
        #expect(try IPNetwork(parsing: "64:ff9b::/96").contains("64:ff9b::192.0.2.33"))

        let anyIPv4 = try IPNetwork(parsing: "0.0.0.0/0"), everything = try IPNetwork(parsing: "::/0")
        #expect(anyIPv4.contains("203.0.113.9") && anyIPv4.contains("::ffff:203.0.113.9") && !anyIPv4.contains("::1"))
        #expect(everything.contains("::1") && everything.contains("10.0.0.1"))
        for garbage in ["", "not an address", "127.0.0.1:5000", "127.0.0.1%eth0", "::1%", "[::1"] {
            #expect(!everything.contains(garbage), "\(garbage)")
        }
    }

    // MARK: The tokens file

    @Test func tokensRoundTripThroughAFileThatHoldsOnlyTheirDigests() throws {
        let manager = FileManager.default
        let root = manager.temporaryDirectory.appendingPathComponent("iotoy-tokens-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: root) }
        let directory = root.appendingPathComponent("etc-iotoy")
        let path = directory.appendingPathComponent("tokens").path

        var store = TokenStore()
        let armToken = try store.add(name: "robot-arm", role: .control)
        let opsToken = try store.add(name: "ops.team_1", role: .admin)
        let viewerToken = try store.add(name: "viewer", role: .read)
        #expect(Set([armToken, opsToken, viewerToken]).count == 3)
        try store.write(to: path)

        let attributes = try manager.attributesOfItem(atPath: path)
        #expect(Self.permissions(attributes[.posixPermissions]) == 0o600)
        #expect(try manager.contentsOfDirectory(atPath: directory.path) == ["tokens"], "no temporary file is left")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for token in [armToken, opsToken, viewerToken] {
            #expect(!text.contains(token))
            #expect(text.contains(TokenStore.hash(token)))
        }

        let loaded = try TokenStore.load(path: path)
        #expect(loaded.entries.map { $0.name } == ["robot-arm", "ops.team_1", "viewer"])
        #expect(loaded.entries.map { $0.role } == [.control, .admin, .read])
        #expect(loaded.role(forToken: armToken)?.name == "robot-arm")
        #expect(loaded.role(forToken: armToken)?.role == .control)
        #expect(loaded.role(forToken: opsToken)?.role == .admin)
        #expect(loaded.role(forToken: viewerToken)?.role == .read)
        for wrong in ["", "wrong", String(armToken.dropLast()), armToken + "x", TokenStore.hash(armToken)] {
            #expect(loaded.role(forToken: wrong)?.name == nil)
        }

        var smaller = loaded
        try smaller.remove(name: "robot-arm")
        try smaller.write(to: path)
        let reloaded = try TokenStore.load(path: path)
        #expect(reloaded.role(forToken: armToken)?.name == nil)
        #expect(reloaded.role(forToken: opsToken)?.name == "ops.team_1")
        let rewritten = try manager.attributesOfItem(atPath: path)
        #expect(Self.permissions(rewritten[.posixPermissions]) == 0o600)
        #expect(try manager.contentsOfDirectory(atPath: directory.path) == ["tokens"])
    }

    @Test func aBadLineIsAnErrorNamingItsLineNumber() throws {
        let digest = TokenStore.hash("some token")
        func badLine(_ text: String) -> Int? {
            switch Result(catching: { () throws(TokenStoreError) -> TokenStore in try TokenStore(parsing: text, path: "tokens") }) {
            case .failure(.badLine(_, let line, _)): line
            default: nil
            }
        }
        #expect(badLine("# tokens\n\nops admin \(digest)\nbroken line\n") == 4)
        #expect(badLine("ops root \(digest)") == 1, "unknown role")
        #expect(badLine("ops admin abc") == 1, "short digest")
        #expect(badLine("ops admin \(String(repeating: "g", count: 64))") == 1, "not hex")
        #expect(badLine("a b c d") == 1, "four fields")
        #expect(badLine("bad/name read \(digest)") == 1, "bad name")
        #expect(badLine("ops admin \(digest)\nops read \(digest)") == 2, "the same name twice")
        #expect(badLine("ops admin \(digest)\r\nviewer read \(digest)\r\nbad\r\n") == 3, "CRLF lines count too")
        #expect(TokenStoreError.badLine(path: "/etc/iotoy/tokens", line: 4, reason: "x").description.contains("line 4"))

        let parsed = try TokenStore(parsing: "# c\n\n  ops  admin\t\(digest.uppercased())  \n   # indented comment\n", path: "t")
        #expect(parsed.entries.count == 1)
        #expect(parsed.role(forToken: "some token")?.name == "ops")

        let missing = Result { () throws(TokenStoreError) -> TokenStore in try TokenStore.load(path: "/nonexistent/iotoy/tokens") }
        guard case .failure(.missingFile) = missing else {
            Issue.record("a missing file is missingFile, not \(missing)")
            return
        }
    }

    @Test func addRemoveAndTheTokenFormat() throws {
        var store = TokenStore()
        let token = try store.add(name: "a", role: .read)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(token.count == 43 && token.allSatisfy { alphabet.contains($0) })
        #expect(TokenStore.generateToken() != TokenStore.generateToken())
        // A token is an argument of `iotoy --token`: never one that reads as an option. (Without
        // the rule, one token in 64 starts with '-': 2000 would hold about 31 of them.)
        #expect(!(0..<2000).contains { _ in TokenStore.generateToken().hasPrefix("-") })
        #expect(TokenStore.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenStore.base64URL(Array("hello".utf8)) == "aGVsbG8")
        #expect(TokenStore.base64URL([0xFB, 0xFF]) == "-_8")

        func failure(_ body: (inout TokenStore) throws(TokenStoreError) -> Void) -> TokenStoreError? {
            var copy = store
            do throws(TokenStoreError) {
                try body(&copy)
                return nil
            } catch {
                return error
            }
        }
        let duplicate = failure { (copy: inout TokenStore) throws(TokenStoreError) in _ = try copy.add(name: "a", role: .admin) }
        let empty = failure { (copy: inout TokenStore) throws(TokenStoreError) in _ = try copy.add(name: "", role: .admin) }
        let spaced = failure { (copy: inout TokenStore) throws(TokenStoreError) in _ = try copy.add(name: "two words", role: .admin) }
        let long = String(repeating: "x", count: 65), longest = String(repeating: "x", count: 64)
        let tooLong = failure { (copy: inout TokenStore) throws(TokenStoreError) in _ = try copy.add(name: long, role: .admin) }
        let longestIsFine = failure { (copy: inout TokenStore) throws(TokenStoreError) in _ = try copy.add(name: longest, role: .admin) }
        let unknown = failure { (copy: inout TokenStore) throws(TokenStoreError) in try copy.remove(name: "b") }
        #expect(duplicate == .duplicateName("a") && empty == .invalidName("") && spaced == .invalidName("two words"))
        #expect(tooLong == .invalidName(long) && longestIsFine == nil && unknown == .noSuchName("b"))
        try store.remove(name: "a")
        #expect(store.isEmpty && store.role(forToken: token)?.name == nil)
    }

    // MARK: The limiter and sessions

    @Test func tenFailuresWithinAMinuteBlockAnAddressForAMinute() {
        let clock = ManualClock()
        let limiter = FailedAuthLimiter(now: { clock.now.offset })
        for _ in 0..<9 {
            #expect(!limiter.recordFailure("192.0.2.7"))
            clock.advance(by: .seconds(5))
        }
        #expect(limiter.retryAfter("192.0.2.7") == nil)
        #expect(limiter.recordFailure("192.0.2.7"))
        #expect(limiter.retryAfter("192.0.2.7") == .seconds(60) && !limiter.isBlocked("192.0.2.8"))
        clock.advance(by: .seconds(59))
        #expect(limiter.retryAfter("192.0.2.7") == .seconds(1))
        clock.advance(by: .seconds(1))
        #expect(!limiter.isBlocked("192.0.2.7"))
        #expect(!limiter.recordFailure("192.0.2.7"), "the count starts afresh")

        // Failures a minute old no longer count.
        for _ in 0..<9 { limiter.recordFailure("198.51.100.1") }
        clock.advance(by: .seconds(60))
        for _ in 0..<9 { #expect(!limiter.recordFailure("198.51.100.1")) }
        #expect(limiter.recordFailure("198.51.100.1"))
    }

    @Test func theLimiterForgetsIdleAddressesAndHoldsAtMost4096() {
        let clock = ManualClock()
        let limiter = FailedAuthLimiter(now: { clock.now.offset })
        limiter.recordFailure("a")
        limiter.recordFailure("b")
        clock.advance(by: .seconds(61))
        limiter.recordFailure("c")
        #expect(limiter.trackedAddresses == 1)

        for _ in 0..<9 { limiter.recordFailure("198.51.100.1") }
        clock.advance(by: .seconds(1))
        for index in 0..<4096 { limiter.recordFailure("10.0.\(index / 256).\(index % 256)") }
        #expect(limiter.capacity == 4096 && limiter.trackedAddresses == 4096)
        #expect(!limiter.recordFailure("198.51.100.1"), "the oldest address was dropped with its failures")
        #expect(limiter.trackedAddresses == 4096)
    }

    @Test func sessionsEndAfterTwelveIdleHoursAndAreCapped() {
        let clock = ManualClock()
        let sessions = SessionStore(now: { clock.now.offset })
        let id = sessions.create(role: .control)
        #expect(id.count == 43 && sessions.role(forSession: id) == .control)
        #expect(sessions.role(forSession: "nope") == nil && sessions.role(forSession: "") == nil)
        clock.advance(by: .seconds(11 * 3600))
        #expect(sessions.role(forSession: id) == .control, "use restarts the idle time")
        clock.advance(by: .seconds(11 * 3600))
        #expect(sessions.role(forSession: id) == .control)
        clock.advance(by: .seconds(12 * 3600))
        #expect(sessions.role(forSession: id) == nil && sessions.count == 0)

        let first = sessions.create(role: .admin)
        clock.advance(by: .seconds(1))
        let others = (0..<1024).map { _ in sessions.create(role: .read) }
        #expect(Set(others).count == 1024 && sessions.count == 1024)
        #expect(sessions.role(forSession: first) == nil, "the least recently used went first")
        let last = others[others.count - 1]
        #expect(sessions.role(forSession: last) == .read)
        sessions.remove(session: last)
        #expect(sessions.role(forSession: last) == nil)
        sessions.removeAll()
        #expect(sessions.count == 0)
    }

    /// A file's permission bits, whichever type this Foundation reports them as.
    static func permissions(_ value: Any?) -> Int? {
        guard let value else { return nil }
        switch value {
        case let number as Int: return number & 0o777
        case let number as UInt: return Int(number & 0o777)
        case let number as Int16: return Int(number) & 0o777
        case let number as UInt16: return Int(number & 0o777)
        case let number as NSNumber: return number.intValue & 0o777
        default: return nil
        }
    }
}
