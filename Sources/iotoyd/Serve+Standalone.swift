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
    /// is served at the root under its own device id. iotoyd waits for the device to answer
    /// (retrying with back-off) because the id, and so the mDNS name, comes from it.
    func serveStandalone(port path: String, logger: Logger) async throws {
        let provider: any SerialProvider
        if simulate {
            let simulated = SimSerialProvider()
            simulated.attach(SimIOToyDevice.testHost(), at: path)
            provider = simulated
        } else {
            provider = LinuxSerialProvider()
        }
        let device = IOToySerialDevice(.init(port: path, baud: baud), provider: provider, logger: logger)
        let owner = HardwareOwner(name: "serial:\(path)")
        var backoff: Duration = .seconds(1)
        while true {
            do {
                try await owner.perform { try device.start() }
                break
            } catch {
                logger.warning("waiting for the device", metadata: ["port": "\(path)", "error": "\(error)", "retry_in": "\(backoff)"])
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
        guard let identity = device.deviceDescription?.identity else { return }
        var tree = ResourceTree(device: identity.deviceName, help: "IOTOY device \(identity) on \(path)")
        try tree.addMount(Mount(path: .root, kind: "iotoy_serial", component: device, owner: owner, help: "IOTOY device \(identity) on \(path)"))
        let defaults = Board.Server()
        try await serve(tree, host: bind ?? defaults.bind, port: port ?? defaults.port, simulation: nil, logger: logger)
    }
}
