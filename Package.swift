// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "iotoyd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "iotoyd", targets: ["iotoyd"]),
        .executable(name: "iotoy", targets: ["iotoy"]),
        .library(name: "IOToyCore", targets: ["IOToyCore"]),
        .library(name: "IOToyHAL", targets: ["IOToyHAL"]),
        .library(name: "IOToySim", targets: ["IOToySim"]),
        .library(name: "IOToyDrivers", targets: ["IOToyDrivers"]),
        .library(name: "IOToyDispatcher", targets: ["IOToyDispatcher"]),
        .library(name: "IOToyBoard", targets: ["IOToyBoard"]),
        .library(name: "IOToyHTTP", targets: ["IOToyHTTP"]),
        .library(name: "IOToyLinux", targets: ["IOToyLinux"]),
        .library(name: "IOToyWire", targets: ["IOToyWire"]),
        .library(name: "IOToyDiscovery", targets: ["IOToyDiscovery"]),
        .library(name: "IOToyClient", targets: ["IOToyClient"]),
        .library(name: "IOToySystemd", targets: ["IOToySystemd"]),
        .library(name: "IOToyMetrics", targets: ["IOToyMetrics"]),
        .library(name: "IOToyMQTT", targets: ["IOToyMQTT"]),
        .library(name: "IOToyTesting", targets: ["IOToyTesting"]),
        .library(name: "IOToyMQTTBridge", targets: ["IOToyMQTTBridge"]),
        // The benchmark's bare Hummingbird peer (scripts/bench/run.sh), not shipped.
        .executable(name: "iotoyd-bench-peer", targets: ["iotoyd-bench-peer"]),
        // The benchmark's in-process PUT -> PCA9685 duty latency probe, not shipped.
        .executable(name: "iotoyd-bench-put", targets: ["iotoyd-bench-put"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // The client's HTTP: IPv6 literals with zones and, later, streaming (URLSession on Linux has neither).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        // Already under Hummingbird; named because IOToyHTTP's pipeline handler speaks NIO's types.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        // Deque: the stream journal's ring and each watcher's bounded queue (already under NIO).
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        // SHA-256 of access tokens (only hashes are stored) and random tokens and session ids.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        // The instrumentation API (CoreMetrics) the dispatcher, drivers and server record through,
        // so the backend is the daemon's choice and tests give each dispatcher its own.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        // The backend: GET /metrics in Prometheus' text format from a registry, not hand-written.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // Property-based tests with shrinking, in Swift Testing (the invariants of issue 15).
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // Values, types, paths, representations, errors. No I/O.
        .target(name: "IOToyCore", swiftSettings: strict),
        // The hardware seams: GPIO, I2C, PWM, serial protocols and their errors.
        .target(name: "IOToyHAL", dependencies: ["IOToyCore"], swiftSettings: strict),
        // Simulated hardware: GPIO chips, I2C register models, PWM recorders.
        .target(name: "IOToySim", dependencies: ["IOToyHAL"], swiftSettings: strict),
        // The IOTOY serial line protocol: commands, replies, help specs. No I/O.
        .target(name: "IOToyWire", dependencies: ["IOToyCore"], swiftSettings: strict),
        // The installed libgpiod (v1 or v2) through pkg-config, and libi2c (no pkg-config file).
        .systemLibrary(name: "CLibGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        .systemLibrary(name: "CI2C", providers: [.apt(["libi2c-dev"])]),
        // One stable C API over libgpiod v1 and v2, picked from the installed header.
        .target(name: "CGPIOD", dependencies: ["CLibGPIOD"]),
        // The Linux backends: the only module that touches Glibc and the C libraries.
        .target(name: "IOToyLinux", dependencies: ["IOToyHAL", "CGPIOD", "CI2C"], swiftSettings: strict),
        // Components (gpio_out, gpio_in, servo, bme280, pca9685, iotoy_serial) written against the HAL only.
        .target(
            name: "IOToyDrivers",
            dependencies: [
                "IOToyHAL", "IOToyCore", "IOToyWire", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // The resource tree, routing, per-bus owners, sampling, change feed.
        .target(
            name: "IOToyDispatcher",
            dependencies: [
                "IOToyDrivers", .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // Board file → validated model → built tree.
        .target(
            name: "IOToyBoard",
            dependencies: [
                "IOToyDispatcher", "IOToySim", .product(name: "Yams", package: "Yams"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // GET /metrics: the daemon's swift-metrics instruments in a swift-prometheus registry,
        // with the gauges read at scrape time.
        .target(
            name: "IOToyMetrics",
            dependencies: [
                "IOToyDispatcher", .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // IOTOY REST/JSON over Hummingbird 2.
        .target(
            name: "IOToyHTTP",
            dependencies: [
                "IOToyDispatcher", "IOToyMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The event loops the server runs on, which the service watchdog checks.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The dashboard ships inside the binary.
            resources: [
                .embedInCode("Dashboard/index.html"), .embedInCode("Dashboard/app.js"), .embedInCode("Dashboard/style.css"),
            ],
            swiftSettings: strict),
        // libavahi-client (Debian: libavahi-client-dev, installed by scripts/install-deps.sh), for
        // mDNS through the system's avahi-daemon. Headers live in /usr/include and the module map
        // links the libraries; no pkgConfig, whose `-D_REENTRANT` SwiftPM rejects with a warning.
        .systemLibrary(name: "CAvahi"),
        // Advertises and finds `_iotoy._tcp` services through Avahi (the only module besides
        // the Linux backends that imports Glibc or a C library).
        .target(
            name: "IOToyDiscovery",
            dependencies: ["CAvahi", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // libmosquitto (Debian: libmosquitto-dev), the reference MQTT client, with poll(2) and
        // eventfd for the client's own loop.
        .systemLibrary(name: "CMosquitto"),
        // An MQTT connection on its own thread: bounded queue, reconnection with back-off (an edge
        // module like Avahi's: the only one besides it and the Linux backends touching C).
        .target(
            name: "IOToyMQTT",
            dependencies: [
                "CMosquitto", "IOToyCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // The tree on an MQTT broker: values out, commands in through the dispatcher, Home
        // Assistant discovery.
        .target(
            name: "IOToyMQTTBridge",
            dependencies: ["IOToyMQTT", "IOToyDispatcher", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // What tests of iotoyd and of code built on it share, shipped like HummingbirdTesting: a
        // board's tree running on simulated hardware, a dispatcher run until every component has
        // started, JSON helpers, the tree served over real HTTP, a real Mosquitto broker with
        // users and an ACL, and mosquitto_sub as the observing peer.
        .target(
            name: "IOToyTesting",
            dependencies: [
                "IOToyBoard", "IOToyDispatcher", "IOToySim", "IOToyHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The live-server helper serves a tree through the daemon's own server on a real port.
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        // systemd's notification protocol (READY, STOPPING, RELOADING, WATCHDOG) over its
        // datagram socket: an edge module like Avahi's, touching Glibc only.
        .target(name: "IOToySystemd", swiftSettings: strict),
        // The Swift client: finds a device by name or host:port and maps its resources to Swift.
        .target(
            name: "IOToyClient",
            dependencies: ["IOToyCore", "IOToyDiscovery", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict),
        .executableTarget(
            name: "iotoy",
            dependencies: [
                "IOToyClient", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Ctrl-C ends `iotoy watch` cleanly.
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "iotoyd",
            dependencies: [
                "IOToyBoard", "IOToyHTTP", "IOToyLinux", "IOToyDiscovery", "IOToySystemd", "IOToyMetrics", "IOToyMQTTBridge",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // `iotoyd reload` asks the running daemon over HTTP.
                "IOToyClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SIGHUP reloads the board file.
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // A reload reads its files on NIO's blocking thread pool.
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // A bare Hummingbird 2 server answering fixed bytes: the peer iotoyd's REST read is
        // measured against (scripts/bench/run.sh).
        .executableTarget(
            name: "iotoyd-bench-peer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict),
        .executableTarget(
            name: "iotoyd-bench-put",
            dependencies: [
                "IOToyBoard", "IOToyCore", "IOToyDispatcher", "IOToyHTTP", "IOToySim",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyCoreTests",
            dependencies: ["IOToyCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict),
        .testTarget(name: "IOToySystemdTests", dependencies: ["IOToySystemd"], swiftSettings: strict),
        .testTarget(
            name: "IOToyMQTTTests",
            dependencies: [
                "IOToyMQTT", "IOToyTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .testTarget(name: "IOToyLinuxTests", dependencies: ["IOToyLinux"], swiftSettings: strict),
        .testTarget(name: "IOToySimTests", dependencies: ["IOToySim"], swiftSettings: strict),
        .testTarget(name: "IOToyWireTests", dependencies: ["IOToyWire"], swiftSettings: strict),
        .testTarget(
            name: "IOToyDriversTests",
            dependencies: ["IOToyDrivers", "IOToySim", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyDispatcherTests",
            dependencies: ["IOToyDispatcher", "IOToySim", "IOToyTesting", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyBoardTests",
            dependencies: ["IOToyBoard", "IOToyTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyMetricsTests",
            dependencies: [
                "IOToyMetrics", "IOToyBoard", "IOToyLinux", "IOToyTesting", .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyHTTPTests",
            dependencies: [
                "IOToyHTTP", "IOToyBoard", "IOToyMetrics", "IOToyTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // EmbeddedChannel: a pipeline handler on a virtual clock (HTTPEdgeGuardTests).
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyDiscoveryTests",
            dependencies: ["IOToyDiscovery", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "IOToyClientTests",
            dependencies: [
                "IOToyClient", "IOToyHTTP", "IOToyBoard", "IOToyTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "IOToyCore", "IOToyClient", "iotoyd", "iotoy", "IOToyTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
