import Foundation
import IOToyCore
import Testing
@testable import IOToyHTTP

/// The decision table of access control: what each route needs, and what each requester has
/// (a token per role, a trusted network, anonymous, read-only).
@Suite struct AuthPolicyTests {

    /// One request of each kind, and the role it needs (nil: anyone).
    static let requests: [(method: String, path: String, needs: Role?)] = [
        ("GET", "/front_left_leg/lift", .read), ("HEAD", "/", .read), ("OPTIONS", "/eyes", .read), ("GET", "/_ui/", .read),
        ("GET", "/_safe", .read), ("PUT", "/front_left_leg/lift", .control), ("POST", "/eyes/toggle", .control),
        ("DELETE", "/eyes", .control), ("PATCH", "/eyes", .control), ("POST", "/_heartbeat", .control),
        ("PUT", "/_sim/gpio/x/GPIO27", .control), ("POST", "/_safe", .admin), ("POST", "/_resume", .admin),
        ("POST", "/_reload", .admin), ("POST", "/_login", nil), ("POST", "/_logout", nil), ("GET", "/metrics", .read),
        ("GET", "/_openapi.json", .read),
    ]

    /// A policy with one token per role, and the tokens.
    static func policy(anonymous: Role?, readOnly: Bool = false) throws -> (AuthPolicy, [Role: String]) {
        var store = TokenStore()
        var tokens: [Role: String] = [:]
        for role in Role.allCases { tokens[role] = try store.add(name: "\(role.rawValue)-client", role: role) }
        return (AuthPolicy(tokens: store, trusted: IPNetwork.loopback, anonymous: anonymous, readOnly: readOnly), tokens)
    }

    /// The access gate skips the decision when the policy allows everyone: it must be true
    /// that the decision would allow every request, whatever it carries.
    @Test func onlyAnOpenPolicyAllowsEveryoneAndItRefusesNothing() throws {
        #expect(AuthPolicy.open.allowsEveryone)
        for anonymous in [nil, Role.read, .control] as [Role?] {
            #expect(!(try Self.policy(anonymous: anonymous).0.allowsEveryone))
        }
        #expect(!(try Self.policy(anonymous: .admin).0.allowsEveryone), "tokens are asked for")
        #expect(!AuthPolicy(tokens: nil, trusted: [], anonymous: .admin, readOnly: true).allowsEveryone)
        for request in Self.requests {
            for bearer in [nil, "not-a-token"] as [String?] {
                for remote in [nil, "127.0.0.1", "192.0.2.7"] as [String?] {
                    let decision = AuthPolicy.open.decide(method: request.method, path: request.path, remoteAddress: remote, bearer: bearer, sessionRole: nil)
                    guard case .allow = decision else {
                        Issue.record("\(request) from \(String(describing: remote)) with \(String(describing: bearer)): \(decision)")
                        continue
                    }
                }
            }
        }
    }

    @Test func everyRouteHasItsRoleWhateverItsSpelling() {
        for request in Self.requests {
            #expect(AuthPolicy.neededRole(method: request.method, path: request.path) == request.needs, "\(request)")
        }
        for path in ["/_safe/", "//_safe", "/_SAFE", "/%5Fsafe", "/%5fsafe", "/%255Fsafe", "/_safe?now=1", "/_reload/x", "/_Resume"] {
            #expect(AuthPolicy.neededRole(method: "POST", path: path) == .admin, "\(path)")
        }
        for path in ["/_login/", "/_LOGIN", "/%5Flogin", "//_login"] {
            #expect(AuthPolicy.neededRole(method: "POST", path: path) == .control, "\(path) is not the login")
        }
        #expect(AuthPolicy.neededRole(method: "POST", path: "/_login?next=/") == nil)
        #expect(AuthPolicy.neededRole(method: "GET", path: "/_login") == .read)
    }

    @Test(arguments: [false, true])
    func eachRoleByTokenOrSessionGetsWhatItsRoleAllows(bySession: Bool) throws {
        let (policy, tokens) = try Self.policy(anonymous: nil)
        for role in Role.allCases {
            for request in Self.requests {
                let decision = policy.decide(
                    method: request.method, path: request.path, remoteAddress: "192.0.2.7",
                    bearer: bySession ? nil : tokens[role], sessionRole: bySession ? role : nil)
                let expected: AuthDecision =
                    if let needs = request.needs, !role.allows(needs) { .forbidden(needed: needs, have: role) } else { .allow(role) }
                #expect(decision == expected, "\(role) \(request)")
            }
        }
    }

    @Test(arguments: [Role?.none, Role.read, Role.control])
    func clientsWithoutCredentialsGetTheAnonymousRoleOr401(anonymous: Role?) throws {
        let (policy, _) = try Self.policy(anonymous: anonymous)
        for request in Self.requests {
            let decision = policy.decide(method: request.method, path: request.path, remoteAddress: "2001:db8::7", bearer: nil, sessionRole: nil)
            let expected: AuthDecision =
                if let needs = request.needs {
                    if let anonymous, anonymous.allows(needs) { .allow(anonymous) } else { .unauthorized }
                } else { .allow(anonymous ?? .read) }
            #expect(decision == expected, "\(String(describing: anonymous)) \(request)")
        }
    }

    @Test func trustedNetworksAreAdminWithoutAToken() throws {
        let (policy, _) = try Self.policy(anonymous: nil)
        for address in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "[::1]"] {
            for request in Self.requests {
                let decision = policy.decide(method: request.method, path: request.path, remoteAddress: address, bearer: nil, sessionRole: nil)
                #expect(decision == .allow(.admin), "\(address) \(request)")
            }
        }
        for address in ["192.0.2.7", "2001:db8::1", "fe80::1%eth0", "::127.0.0.1", "garbage", nil] {
            #expect(policy.decide(method: "GET", path: "/", remoteAddress: address, bearer: nil, sessionRole: nil) == .unauthorized)
        }
        var lan = policy
        lan.trusted = try [IPNetwork(parsing: "192.168.1.0/24")]
        #expect(lan.decide(method: "POST", path: "/_safe", remoteAddress: "::ffff:192.168.1.50", bearer: nil, sessionRole: nil) == .allow(.admin))
        #expect(lan.decide(method: "GET", path: "/", remoteAddress: "127.0.0.1", bearer: nil, sessionRole: nil) == .unauthorized)
    }

    @Test func aBadTokenIs401EvenWhereAnonymousWouldDo() throws {
        let (policy, tokens) = try Self.policy(anonymous: .read)
        for address in ["192.0.2.7", "127.0.0.1"] {
            #expect(policy.decide(method: "GET", path: "/", remoteAddress: address, bearer: "nope", sessionRole: nil) == .unauthorized)
            #expect(policy.decide(method: "GET", path: "/", remoteAddress: address, bearer: "", sessionRole: .admin) == .unauthorized)
        }
        // The login checks its token itself.
        #expect(policy.decide(method: "POST", path: "/_login", remoteAddress: "192.0.2.7", bearer: "nope", sessionRole: nil) == .allow(.read))
        // A token below the anonymous role still gets the anonymous role.
        let (generous, generousTokens) = try Self.policy(anonymous: .control)
        #expect(generous.decide(method: "PUT", path: "/eyes", remoteAddress: "192.0.2.7", bearer: generousTokens[.read], sessionRole: nil)
            == .allow(.control))
        #expect(policy.decide(method: "PUT", path: "/eyes", remoteAddress: "192.0.2.7", bearer: tokens[.read], sessionRole: nil)
            == .forbidden(needed: .control, have: .read))
    }

    @Test func readOnlyRefusesEveryChangeButTheLogin() throws {
        let (policy, tokens) = try Self.policy(anonymous: .read, readOnly: true)
        for request in Self.requests {
            for (address, bearer) in [("192.0.2.7", tokens[.admin]), ("127.0.0.1", nil)] {
                let decision = policy.decide(method: request.method, path: request.path, remoteAddress: address, bearer: bearer, sessionRole: nil)
                let expected: AuthDecision =
                    if let needs = request.needs, AuthPolicy.isChange(method: request.method) {
                        .forbidden(needed: needs, have: .admin)
                    } else { .allow(.admin) }
                #expect(decision == expected, "\(request)")
            }
        }
    }

    @Test func theOpenPolicyLetsEveryoneDoEverything() {
        for request in Self.requests {
            for bearer in [nil, "anything"] {
                let decision = AuthPolicy.open.decide(method: request.method, path: request.path, remoteAddress: nil, bearer: bearer, sessionRole: nil)
                #expect(decision == .allow(.admin), "\(request)")
            }
        }
    }
}
