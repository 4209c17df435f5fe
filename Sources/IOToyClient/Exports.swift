// What a client program needs besides this module: values and paths (IOToyCore), and
// discovered services (IOToyDiscovery).
@_exported import IOToyCore
@_exported import IOToyDiscovery
