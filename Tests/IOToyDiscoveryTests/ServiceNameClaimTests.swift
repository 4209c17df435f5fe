import Testing
@testable import IOToyDiscovery

@Suite struct ServiceNameClaimTests {
    @Test func collisionsWalkThroughAvahisAlternatives() {
        var claim = ServiceNameClaim(preferred: "robocat")
        #expect(claim.current == "robocat")
        #expect(claim.collided() == "robocat #2")
        #expect(claim.collided() == "robocat #3")
        #expect(claim.preferred == "robocat")
        #expect(claim.current == "robocat #3")
    }

    @Test func alternativesCountPastNine() {
        #expect(ServiceNameClaim.alternative(to: "robocat #9") == "robocat #10")
        #expect(ServiceNameClaim.alternative(to: "legcontroller") == "legcontroller #2")
    }
}
