import IOToyHAL

/// `iio`: a sensor served by the kernel's IIO subsystem (`/sys/bus/iio/devices/iio:deviceN`),
/// named by its kernel name, its channels in SI units. See ``KernelSensorEntry``.
enum IIOKind {
    static let kind = ComponentKind(
        name: "iio", summary: "IIO sensor (a kernel driver): its channels in SI units (sampled)",
        keys: KernelSensorEntry.keys
    ) { map, context in
        KernelSensorEntry.read(.iio, map, context)
    }
}
