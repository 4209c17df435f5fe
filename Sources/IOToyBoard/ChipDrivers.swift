import IOToyDrivers
import IOToyHAL
import Synchronization

/// Chip drivers shared by several components (a PCA9685 drives up to sixteen servos), made
/// once per hardware entry when the first component needs one.
final class ChipDrivers: Sendable {
    private let pca9685s = Mutex<[String: PCA9685]>([:])

    func pca9685(named name: String, spec: HardwareSpec, platform: HardwarePlatform) -> PCA9685? {
        guard case .pca9685(_, let bus, let address, let frequency) = spec else { return nil }
        return pca9685s.withLock { chips in
            if let chip = chips[name] { return chip }
            var configuration = PCA9685.Configuration(bus: bus)
            configuration.address = address
            configuration.frequencyHz = frequency
            let chip = PCA9685(i2c: platform.i2c, delay: platform.delay, configuration: configuration)
            chips[name] = chip
            return chip
        }
    }
}
