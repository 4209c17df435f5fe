import IOToyHAL

/// The TI ADS1115 16-bit ADC as a chip driver: single-shot conversions of one input (a pin
/// against ground or a differential pair) at a chosen full-scale range and data rate, over an
/// I2C bus it does not own.
///
/// The chip's registers are 16 bits, most significant byte first; they are spoken as the
/// Linux drivers speak them, SMBus word transactions with the bytes swapped, so the driver
/// also runs against the kernel's i2c-stub in word mode.
///
/// A conversion writes the configuration with OS = 1 (start), waits the data rate's
/// conversion time (plus the oscillator's 10 % tolerance) with the injected delay, polls the
/// OS bit a bounded number of times (a conversion that never ends is a `timeout`), then reads
/// the conversion register.
public struct ADS1115Chip: Sendable {
    /// What the multiplexer connects to the ADC: a pin against GND or a differential pair.
    public enum Input: String, Sendable, Hashable, CaseIterable {
        case a0, a1, a2, a3
        case a0MinusA1 = "a0-a1", a0MinusA3 = "a0-a3", a1MinusA3 = "a1-a3", a2MinusA3 = "a2-a3"

        /// The config register's MUX field (bits 14:12).
        public var muxBits: UInt16 {
            switch self {
            case .a0MinusA1: 0b000
            case .a0MinusA3: 0b001
            case .a1MinusA3: 0b010
            case .a2MinusA3: 0b011
            case .a0: 0b100
            case .a1: 0b101
            case .a2: 0b110
            case .a3: 0b111
            }
        }
    }

    /// The programmable gain amplifier's full-scale range, ± volts.
    public enum FullScale: Double, Sendable, Hashable, CaseIterable {
        case volts6_144 = 6.144, volts4_096 = 4.096, volts2_048 = 2.048
        case volts1_024 = 1.024, volts0_512 = 0.512, volts0_256 = 0.256

        /// The config register's PGA field (bits 11:9).
        public var pgaBits: UInt16 {
            switch self {
            case .volts6_144: 0b000
            case .volts4_096: 0b001
            case .volts2_048: 0b010
            case .volts1_024: 0b011
            case .volts0_512: 0b100
            case .volts0_256: 0b101
            }
        }

        /// One code's worth of volts: full scale / 2^15 (187.5 µV at ±6.144 V).
        public var voltsPerCode: Double { rawValue / 32768 }
    }

    /// Samples per second.
    public enum DataRate: Int, Sendable, Hashable, CaseIterable {
        case sps8 = 8, sps16 = 16, sps32 = 32, sps64 = 64, sps128 = 128, sps250 = 250, sps475 = 475, sps860 = 860

        /// The config register's DR field (bits 7:5).
        public var drBits: UInt16 { UInt16(DataRate.allCases.firstIndex(of: self)!) }

        /// One conversion at this rate: 1 / rate.
        public var conversionTime: Duration { .nanoseconds(1_000_000_000 / rawValue) }
    }

    /// One conversion's result.
    public struct Conversion: Sendable, Hashable {
        /// The conversion register, two's complement.
        public let code: Int16
        /// The code in volts at the full-scale range it was taken with (code × FS / 2^15).
        public let volts: Double
    }

    /// Register pointers.
    enum Register {
        static let conversion: UInt8 = 0x00
        static let config: UInt8 = 0x01
    }

    /// How many times the OS bit is polled after the conversion time before giving up.
    static let statusPolls = 20

    let bus: any I2CBus
    public let address: UInt8
    let delay: any BlockingDelay

    /// Reads the configuration register once, so a missing chip fails here (NACK) and not at
    /// the first conversion. The ADS1115 has no id register to check.
    public init(bus: any I2CBus, address: UInt8, delay: any BlockingDelay) throws {
        _ = try bus.readWord(address: address, register: Register.config)
        self.bus = bus
        self.address = address
        self.delay = delay
    }

    /// The configuration word that starts one single-shot conversion (comparator disabled).
    public static func singleShotConfig(_ input: Input, _ fullScale: FullScale, _ dataRate: DataRate) -> UInt16 {
        1 << 15 | input.muxBits << 12 | fullScale.pgaBits << 9 | 1 << 8 | dataRate.drBits << 5 | 0b11
    }

    /// One single-shot conversion; blocks the caller (the bus's owner) for about 1 / rate.
    public func convert(_ input: Input, fullScale: FullScale, dataRate: DataRate) throws -> Conversion {
        try writeRegister(Register.config, Self.singleShotConfig(input, fullScale, dataRate))
        delay.wait(dataRate.conversionTime * 1.1)
        var config = try readRegister(Register.config)
        for _ in 0..<Self.statusPolls where config & 0x8000 == 0 {
            delay.wait(dataRate.conversionTime / 10)
            config = try readRegister(Register.config)
        }
        guard config & 0x8000 != 0 else {
            throw HardwareError(
                .timeout, operation: "wait for conversion of \(input.rawValue)", device: bus.deviceName(address),
                message: "the OS bit still said busy after \(Self.statusPolls) polls")
        }
        let code = Int16(bitPattern: try readRegister(Register.conversion))
        let volts = Double(code) * fullScale.rawValue / 32768
        return Conversion(code: code, volts: (volts * 1e9).rounded() / 1e9)   // to the nanovolt: no binary noise
    }

    /// A 16-bit register: SMBus puts the chip's first (most significant) byte in the low half.
    func readRegister(_ register: UInt8) throws -> UInt16 {
        try bus.readWord(address: address, register: register).byteSwapped
    }

    func writeRegister(_ register: UInt8, _ value: UInt16) throws {
        try bus.writeWord(address: address, register: register, value: value.byteSwapped)
    }
}
