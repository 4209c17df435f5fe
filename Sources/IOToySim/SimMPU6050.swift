import IOToyCore
import Synchronization

/// A register-level model of an InvenSense MPU-6050: WHO_AM_I, PWR_MGMT_1 (asleep at
/// power-on, device reset), CONFIG, GYRO_CONFIG, ACCEL_CONFIG and the 14 data bytes from
/// ACCEL_XOUT_H (0x3B), big-endian.
///
/// A test sets physical quantities (``Motion``); while awake the data registers hold them as
/// the chip would at its current ranges: `round(value × sensitivity)` clipped to 16 bits
/// (16384 LSB/g at ±2 g, 131 LSB/(°/s) at ±250 °/s…), temperature `round((°C − 36.53) × 340)`.
/// Asleep, the data registers keep what they last held (zeros after power-on or a reset).
public final class SimMPU6050: SimI2CDevice {
    /// What the chip is experiencing.
    public struct Motion: Sendable, Hashable {
        /// g, per axis.
        public var acceleration: (x: Double, y: Double, z: Double)
        /// °/s, per axis.
        public var angularRate: (x: Double, y: Double, z: Double)
        public var temperatureCelsius: Double

        public init(acceleration: (x: Double, y: Double, z: Double), angularRate: (x: Double, y: Double, z: Double), temperatureCelsius: Double) {
            self.acceleration = acceleration
            self.angularRate = angularRate
            self.temperatureCelsius = temperatureCelsius
        }

        /// Lying flat and still at 25 °C: 1 g on z.
        public static let flat = Motion(acceleration: (0, 0, 1), angularRate: (0, 0, 0), temperatureCelsius: 25)

        public static func == (lhs: Motion, rhs: Motion) -> Bool {
            lhs.acceleration == rhs.acceleration && lhs.angularRate == rhs.angularRate && lhs.temperatureCelsius == rhs.temperatureCelsius
        }

        public func hash(into hasher: inout Hasher) {
            for value in [acceleration.x, acceleration.y, acceleration.z, angularRate.x, angularRate.y, angularRate.z, temperatureCelsius] {
                hasher.combine(value)
            }
        }
    }

    /// Register addresses.
    public enum Register {
        public static let config: UInt8 = 0x1A
        public static let gyroConfig: UInt8 = 0x1B
        public static let accelConfig: UInt8 = 0x1C
        public static let data: UInt8 = 0x3B
        public static let powerManagement1: UInt8 = 0x6B
        public static let whoAmI: UInt8 = 0x75
    }

    struct State {
        var registers = [UInt8](repeating: 0, count: 128)
        var motion: Motion
        var resets = 0
    }

    private let state: Mutex<State>

    /// `whoAmI` other than 0x68 models a look-alike (an MPU-6500 reads 0x70).
    public init(motion: Motion = .flat, whoAmI: UInt8 = 0x68) {
        var state = State(motion: motion)
        SimMPU6050.powerOn(&state.registers, whoAmI: whoAmI)
        self.state = Mutex(state)
    }

    /// Sets what the sensors experience from now on.
    public func setMotion(_ motion: Motion) {
        state.withLock { $0.motion = motion }
    }

    /// A register's current value.
    public func register(_ address: UInt8) -> UInt8 {
        state.withLock { $0.registers[Int(address & 0x7f)] }
    }

    /// How many device resets the driver has asked for.
    public var resetCount: Int { state.withLock { $0.resets } }

    public func readRegister(_ register: UInt8) -> UInt8 {
        state.withLock { state in
            let index = Int(register & 0x7f)
            if index == Int(Register.data), state.registers[Int(Register.powerManagement1)] & 0x40 == 0 {
                SimMPU6050.convert(&state)   // awake: a burst read starts at fresh data
            }
            return state.registers[index]
        }
    }

    public func writeRegister(_ register: UInt8, _ value: UInt8) {
        state.withLock { state in
            switch register {
            case Register.powerManagement1:
                if value & 0x80 != 0 {
                    SimMPU6050.powerOn(&state.registers, whoAmI: state.registers[Int(Register.whoAmI)])
                    state.resets += 1
                } else {
                    state.registers[Int(register)] = value
                }
            case 0x3B...0x48, Register.whoAmI:
                break   // read-only
            default:
                state.registers[Int(register & 0x7f)] = value
            }
        }
    }

    public func snapshot() -> JSONValue {
        state.withLock { state in
            let motion = state.motion
            return .object([
                "model": .string("mpu6050"),
                "asleep": .bool(state.registers[Int(Register.powerManagement1)] & 0x40 != 0),
                "acceleration_g": .array([motion.acceleration.x, motion.acceleration.y, motion.acceleration.z].map { .double($0) }),
                "angular_rate_dps": .array([motion.angularRate.x, motion.angularRate.y, motion.angularRate.z].map { .double($0) }),
                "temperature_c": .double(motion.temperatureCelsius),
            ])
        }
    }

    /// The raw count the chip reports for `value` at `countsPerUnit`, clipped to 16 bits.
    public static func counts(_ value: Double, _ countsPerUnit: Double) -> Int16 {
        Int16(min(max((value * countsPerUnit).rounded(), -32768), 32767))
    }

    private static func convert(_ state: inout State) {
        let accelCounts = 16384 / Double(1 << Int(state.registers[Int(Register.accelConfig)] >> 3 & 0b11))
        let gyroCounts = [131, 65.5, 32.8, 16.4][Int(state.registers[Int(Register.gyroConfig)] >> 3 & 0b11)]
        let motion = state.motion
        let words: [Int16] = [
            counts(motion.acceleration.x, accelCounts), counts(motion.acceleration.y, accelCounts),
            counts(motion.acceleration.z, accelCounts),
            counts(motion.temperatureCelsius - 36.53, 340),
            counts(motion.angularRate.x, gyroCounts), counts(motion.angularRate.y, gyroCounts),
            counts(motion.angularRate.z, gyroCounts),
        ]
        for (index, word) in words.enumerated() {
            let bits = UInt16(bitPattern: word)
            state.registers[Int(Register.data) + 2 * index] = UInt8(bits >> 8)
            state.registers[Int(Register.data) + 2 * index + 1] = UInt8(bits & 0xff)
        }
    }

    private static func powerOn(_ registers: inout [UInt8], whoAmI: UInt8) {
        registers = [UInt8](repeating: 0, count: 128)
        registers[Int(Register.powerManagement1)] = 0x40   // asleep
        registers[Int(Register.whoAmI)] = whoAmI
    }
}
