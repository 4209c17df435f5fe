import ArgumentParser
import Foundation
import IOToyBoard
import IOToyMQTT
import IOToyMQTTBridge
import ServiceLifecycle

/// The board's `mqtt:` section made ready: the connection (the password read from its file,
/// the `offline` will) and the bridge's topics.
struct MQTTBridgeSettings: Sendable {
    let client: MQTTSettings
    let prefix: String
    let discoveryPrefix: String?
}

extension Serve {
    /// The bridge's settings for `mqtt`; a password file that cannot be read stops the start.
    static func mqttSettings(_ mqtt: Board.MQTT, device: String) throws -> MQTTBridgeSettings {
        var client = MQTTSettings(host: mqtt.host, port: mqtt.port, clientID: "iotoyd-\(device)")
        client.username = mqtt.username
        if let path = mqtt.passwordFile {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                printError("iotoyd: mqtt.password_file \(path) cannot be read")
                throw ExitCode(1)
            }
            client.password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        client.tls = mqtt.tls.map { MQTTSettings.TLS(caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile) }
        client.will = MQTTBridge.will(prefix: mqtt.prefix, device: device)
        return MQTTBridgeSettings(client: client, prefix: mqtt.prefix, discoveryPrefix: mqtt.discoveryPrefix)
    }
}

/// Runs the MQTT bridge until graceful shutdown; it then publishes `offline` and disconnects.
struct MQTTBridgeService: Service {
    let bridge: MQTTBridge

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await bridge.run()
        }
    }
}
