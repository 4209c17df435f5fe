import Testing
@testable import IOToyDiscovery

@Suite struct ServiceAddressTests {
    let ipv4 = ServiceAddress(family: .ipv4, address: "192.0.2.7", interface: "eth0")
    let routable = ServiceAddress(family: .ipv6, address: "2001:db8::7", interface: "eth0")
    let linkLocal = ServiceAddress(family: .ipv6, address: "fe80::1", interface: "eth0")

    @Test func ipv4FirstThenRoutableIPv6ThenLinkLocal() {
        #expect([linkLocal, routable, ipv4].sorted() == [ipv4, routable, linkLocal])
    }

    @Test func linkLocalAddressesCarryTheirInterface() {
        #expect(linkLocal.isLinkLocal)
        #expect(!routable.isLinkLocal)
        #expect(!ipv4.isLinkLocal)
        #expect(ServiceAddress(family: .ipv6, address: "FEBF::1", interface: nil).isLinkLocal)
        #expect(!ServiceAddress(family: .ipv6, address: "fec0::1", interface: nil).isLinkLocal)
        #expect(linkLocal.description == "fe80::1%eth0")
        #expect(routable.description == "2001:db8::7")
    }

    @Test func urlHostsBracketIPv6AndEscapeTheZone() {
        #expect(ipv4.urlHost == "192.0.2.7")
        #expect(routable.urlHost == "[2001:db8::7]")
        #expect(linkLocal.urlHost == "[fe80::1%25eth0]")
    }

    @Test func mergingResolutionsKeepsEachAddressOnceInOrder() throws {
        let txt = try TXTRecord.iotoy(version: "0.1.0")
        func seen(_ address: ServiceAddress?) -> ResolvedInstance {
            ResolvedInstance(
                name: "robocat", type: "_iotoy._tcp", domain: "local", hostName: "pi.local", address: address, port: 5000, txt: txt)
        }
        let service = ServiceDiscovery.merge([seen(linkLocal), seen(ipv4), seen(nil), seen(linkLocal), seen(routable)])
        #expect(service.addresses == [ipv4, routable, linkLocal])
        #expect(service.name == "robocat")
        #expect(service.port == 5000)
        #expect(service.txt["path"] == "/")
    }
}
