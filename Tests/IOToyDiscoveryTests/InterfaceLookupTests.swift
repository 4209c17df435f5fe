#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import IOToyDiscovery

/// A server bound to one address is advertised on the interface that has it.
@Suite struct InterfaceLookupTests {
    @Test func loopbackAddressesAreOnLo() {
        let lo = Int32(if_nametoindex("lo"))
        #expect(lo > 0)
        let four = InterfaceLookup.interface(holding: "127.0.0.1")
        #expect(four?.index == lo && four?.isIPv6 == false)
        if let six = InterfaceLookup.interface(holding: "::1") {      // when the host has IPv6
            #expect(six.index == lo && six.isIPv6)
        }
    }

    @Test func wildcardsUnknownAddressesAndNonsenseAreEverywhere() {
        #expect(InterfaceLookup.interface(holding: "0.0.0.0") == nil)
        #expect(InterfaceLookup.interface(holding: "::") == nil)
        #expect(InterfaceLookup.interface(holding: "192.0.2.254") == nil)
        #expect(InterfaceLookup.interface(holding: "robocat.local") == nil)
    }
}
