import CoreMetrics
import IOToyDrivers
import Logging
import IOToyHAL
import IOToySim

/// A component kind the board file can name (`servo`, `bme280`, …): the keys it accepts, how
/// it validates them, and how it builds the component once validation has passed.
public struct ComponentKind: Sendable {
    /// The name used as `kind:`.
    public let name: String
    /// One line for `iotoyd check` and errors.
    public let summary: String
    /// The keys it accepts besides `kind` and `help`.
    public let keys: [String]
    let read: @Sendable (MappingReader, BoardContext) -> ComponentPlan?

    init(name: String, summary: String, keys: [String], read: @escaping @Sendable (MappingReader, BoardContext) -> ComponentPlan?) {
        self.name = name
        self.summary = summary
        self.keys = keys
        self.read = read
    }
}

/// What a validated component entry will become: the hardware it claims (checked for
/// conflicts before anything is opened) and how to build it.
struct ComponentPlan: Sendable {
    /// Resources only one component may hold: `line gpio/GPIO17`, `i2c-1 0x76`, `pwm hat/0`.
    let claims: [Claim]
    /// The owner the component's operations run on: its bus, chip or port.
    let owner: OwnerKey
    let help: String?
    /// What `--simulate` must provide for the component: named lines, I2C device models.
    let simulated: [SimulatedNeed]
    /// Builds the component with the board file's `help` (nil: the driver's default).
    let build: @Sendable (BuildContext, String?) -> any Component
    /// An actuator's failsafe deadline (`failsafe_ms`), nil for none.
    let failsafe: Duration?

    init(
        claims: [Claim], owner: OwnerKey, help: String?, simulated: [SimulatedNeed], failsafe: Duration? = nil,
        build: @escaping @Sendable (BuildContext, String?) -> any Component
    ) {
        self.claims = claims
        self.owner = owner
        self.help = help
        self.simulated = simulated
        self.failsafe = failsafe
        self.build = build
    }
}

/// `failsafe_ms: N` (10…3600000) or `none`.
enum FailsafeSetting: Equatable {
    case none
    case after(Duration)
    case invalid

    var duration: Duration? { if case .after(let duration) = self { duration } else { nil } }
}

extension Field {
    /// Reads `failsafe_ms`: milliseconds, or `none` to switch it off explicitly.
    func failsafe() -> FailsafeSetting {
        if node.scalar?.string == "none" { return .none }
        guard let milliseconds = int(in: 10...3_600_000) else { return .invalid }
        return .after(.milliseconds(milliseconds))
    }
}

/// Something the simulator must provide for a component to find its hardware.
enum SimulatedNeed: Sendable, Hashable {
    case gpioLine(hardware: String, line: String)
    /// A register-level model at an I2C address, made by the kind that needs it (the fitter
    /// knows no chip by name).
    case i2cDevice(bus: Int, address: UInt8, model: SimulatedI2CModel)
    /// A simulated IOTOY microcontroller (one of ``SimIOToyDevice/exampleNames``) on a port.
    case serialDevice(port: String, example: String)
    /// Any other simulated device on a port (a text-protocol module), made by the kind.
    case serialPeer(port: String, model: SimulatedSerialModel)
    /// A kernel IIO or hwmon device with the channels its driver offers, plus those the board
    /// names (``SimKernelSensorDevice/typical(_:alsoOffering:)``).
    case kernelSensor(KernelSensorSelector, channels: [String])
    /// A line-level model attached to a simulated chip's lines (an ultrasonic ranger answering
    /// its trigger with an echo), made by the kind.
    case gpioModel(hardware: String, model: SimulatedGPIOModel)
}

/// How to attach a line-level model to the simulated chip of a `gpiochip` entry; equal when
/// named alike. The model it answers is kept alive by the simulated hardware.
struct SimulatedGPIOModel: Sendable, Hashable {
    let name: String
    let attach: @Sendable (SimGPIOChip) throws -> any AnyObject & Sendable

    static func == (lhs: SimulatedGPIOModel, rhs: SimulatedGPIOModel) -> Bool { lhs.name == rhs.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// How to make the simulated model of a chip; equal when named alike.
struct SimulatedI2CModel: Sendable, Hashable {
    let name: String
    let make: @Sendable () -> any SimI2CDevice

    static func == (lhs: SimulatedI2CModel, rhs: SimulatedI2CModel) -> Bool { lhs.name == rhs.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// How to make the simulated device on a serial port; equal when named alike.
struct SimulatedSerialModel: Sendable, Hashable {
    let name: String
    let make: @Sendable () -> any SimSerialPeer

    static func == (lhs: SimulatedSerialModel, rhs: SimulatedSerialModel) -> Bool { lhs.name == rhs.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A piece of hardware one component holds, with where it was claimed.
struct Claim: Sendable, Hashable {
    let resource: HardwareClaim
    let line: Int
    let column: Int
    let keyPath: String
}

/// What a kind may look up while reading: the hardware section.
struct BoardContext: Sendable {
    let hardware: [String: HardwareSpec]
    /// Entries declared under `hardware:` whose own errors were reported; a reference to one
    /// adds no error of its own.
    var failedHardware: Set<String> = []
    let device: String
}

/// What a kind receives when building: the platform's seams and the shared chip drivers.
public struct BuildContext: Sendable {
    public let platform: HardwarePlatform
    let hardware: [String: HardwareSpec]
    let chips: ChipDrivers
    /// The consumer name given to the kernel for lines (`iotoyd:<device>`).
    public let consumer: String
    /// For components that report what they find (a serial device's introspection); carries
    /// the component's `path` as metadata.
    public let logger: Logger
    /// Where components record their own statistics (a serial link's); swift-metrics' no-op
    /// factory unless the daemon serves `/metrics`.
    public let metrics: any MetricsFactory

    /// The same context with another logger.
    func with(logger: Logger) -> BuildContext {
        BuildContext(platform: platform, hardware: hardware, chips: chips, consumer: consumer, logger: logger, metrics: metrics)
    }
}

/// The set of component kinds a board file may use. Built in `iotoyd` and passed down.
public struct ComponentRegistry: Sendable {
    public let kinds: [String: ComponentKind]

    public init(_ kinds: [ComponentKind]) {
        self.kinds = Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, $0) })
    }

    /// Every kind this package provides.
    public static let standard = ComponentRegistry([
        GPIOKinds.output, GPIOKinds.input, ServoKind.kind, PWMOutputKind.kind, MotorKind.kind, DifferentialDriveKind.kind, BME280Kind.kind, IOToySerialKind.kind,
        IIOKind.kind,
        HWMonKind.kind,
        ADS1115Kind.kind,
        INA219Kind.kind,
        MPU6050Kind.kind,
        HCSR04Kind.kind,
        EncoderKind.kind,
        SerialTextKind.kind,
    ])

    /// The kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }
}
