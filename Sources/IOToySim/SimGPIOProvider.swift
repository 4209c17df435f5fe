import IOToyCore
import IOToyHAL
import Synchronization

/// Simulated GPIO chips, found by label, name or `/dev/<name>` path like real ones.
public final class SimGPIOProvider: GPIOProvider {
    private let chips: Mutex<[SimGPIOChip]>
    /// Line-level models attached to the chips (they watch lines weakly): kept as long as the
    /// provider, which the platform holds.
    private let models = Mutex<[any AnyObject & Sendable]>([])

    public init(chips: [SimGPIOChip] = []) {
        self.chips = Mutex(chips)
    }

    /// Keeps a model attached to one of the chips alive as long as the provider.
    public func keep(_ model: any AnyObject & Sendable) {
        models.withLock { $0.append(model) }
    }

    /// The kept models of type `Model`, in the order they were attached.
    public func models<Model: AnyObject & Sendable>(of type: Model.Type) -> [Model] {
        models.withLock { $0.compactMap { $0 as? Model } }
    }

    /// Adds a chip.
    public func add(_ chip: SimGPIOChip) {
        chips.withLock { $0.append(chip) }
    }

    /// All chips, in the order they were added.
    public var allChips: [SimGPIOChip] { chips.withLock { $0 } }

    /// The chip the selector names, if any.
    public func chip(_ selector: ChipSelector) -> SimGPIOChip? {
        chips.withLock { chips in
            chips.first { chip in
                switch selector {
                case .label(let label): chip.label == label
                case .name(let name): chip.name == name
                case .path(let path): "/dev/\(chip.name)" == path
                }
            }
        }
    }

    public func openChip(_ selector: ChipSelector) throws(HardwareError) -> any GPIOChip {
        guard let chip = chip(selector) else {
            throw HardwareError(.notFound, operation: "open chip", device: "gpio chip '\(selector)'", errno: 2)
        }
        return chip
    }
}
