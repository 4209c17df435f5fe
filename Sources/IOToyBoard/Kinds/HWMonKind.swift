import IOToyHAL

/// `hwmon`: a sensor served by the kernel's hwmon subsystem (`/sys/class/hwmon/hwmonN`),
/// named by its kernel name, its channels (`temperature1`, `voltage0`…) in SI units. See
/// ``KernelSensorEntry``.
enum HWMonKind {
    static let kind = ComponentKind(
        name: "hwmon", summary: "hwmon sensor (a kernel driver): its channels in SI units (sampled)",
        keys: KernelSensorEntry.keys
    ) { map, context in
        KernelSensorEntry.read(.hwmon, map, context)
    }
}
