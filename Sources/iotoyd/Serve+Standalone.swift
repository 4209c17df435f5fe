import IOToyBoard
import IOToyCore
import IOToyDispatcher
import IOToyDrivers
import IOToyHAL
import IOToyLinux
import IOToySim
import Logging

extension Serve {
    /// `iotoyd serve --serial PORT`, like the original IOTOY host: the one device on the port
    /// is served at the root under its own device id. HTTP is served at once: until the device
    /// has answered (the dispatcher retries with back-off) every path answers 503 "waiting for
    /// the IOTOY device on PORT"; its id, and so the mDNS name, comes from the device, so it is
    /// advertised once the device has answered.
    func serveStandalone(port path: String, logger: Logger) async throws {
        let provider: any SerialProvider
        if simulate {
            let simulated = SimSerialProvider()
            simulated.attach(SimIOToyDevice.testHost(), at: path)
            provider = simulated
        } else {
            provider = LinuxSerialProvider()
        }
        let metrics = Serve.metricsExporter()
        let device = IOToySerialDevice(
            .init(port: path, baud: baud), provider: provider, logger: logger,
            metrics: SerialLinkMetrics(port: path, factory: metrics.factory))
        let owner = HardwareOwner(name: OwnerKey.serialPort(path).description)
        let what = "the IOTOY device on \(path)"
        var tree = ResourceTree(device: Serve.provisionalName(for: path), help: what)
        try tree.addMount(Mount(path: .root, kind: "iotoy_serial", component: device, owner: owner, help: what))
        try await serve(tree, server: overriding(Board.Server()), simulation: nil, logger: logger, waitsForDeviceName: true,
            metrics: metrics)
    }

    /// A name for the tree until the device says its own: `serial_ttyUSB0`.
    static func provisionalName(for path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? "device"
        let cleaned = String(base.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return "serial_" + cleaned
    }
}
