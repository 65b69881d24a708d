// swift-tools-version: 6.2
import PackageDescription

/// `scripts/fuzz` sets BACKCHANNEL_FUZZ=1 (in its own scratch path, `.build-fuzz`): our targets are
/// then built with libFuzzer coverage and AddressSanitizer, testable (the harnesses reach internal
/// parsers), and the fuzz executables below exist. A normal build sees none of it.
let fuzzing = Context.environment["BACKCHANNEL_FUZZ"] == "1"

let swiftSettings: [SwiftSetting] =
    [
        .enableUpcomingFeature("ExistentialAny"),
        // An import is internal unless marked `public`/`package`, so a target's public API names the modules
        // its users need; and a member is visible only where its module is imported, not through another's.
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ] + (fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address", "-enable-testing"])] : [])

/// The event loops' state belongs to one thread each, and their hot path (a send per member per
/// turn) paid for the runtime's exclusivity checks on class properties: callgrind counted ~75
/// instructions per access, several per delivery. Release builds of Sockets skip the dynamic checks
/// (the static ones stay); debug builds, so every test run, keep them.
let engineSettings = swiftSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Backchannel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "backchannel", targets: ["backchannel"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C shims
        .target(name: "CLinux"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Calendar arithmetic shared by HTTP dates and the domain's RFC 3339 timestamps.
        .target(name: "CivilTime", swiftSettings: swiftSettings),

        // Engine
        .target(
            name: "Sockets",
            dependencies: [
                "CLinux",
                "TLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: engineSettings
        ),
        .target(name: "TLS", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "HTTP1", dependencies: ["CZlib", "CivilTime"], swiftSettings: swiftSettings),
        .target(name: "WebSocket", dependencies: ["HTTP1", "COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "WebSocketDeflate", dependencies: ["WebSocket", "CZlib"], swiftSettings: swiftSettings),

        // Domain and effects
        .target(name: "Webinar", dependencies: ["COpenSSL", "CivilTime"], swiftSettings: swiftSettings),
        .target(
            name: "Store",
            dependencies: ["Webinar", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(name: "PostgresStore", dependencies: ["Webinar", "CLibPQ"], swiftSettings: swiftSettings),
        .target(name: "LiveHub", dependencies: ["Webinar", "Sockets", "WebSocket", "WebSocketDeflate"], swiftSettings: swiftSettings),
        .target(
            name: "LiveHubPostgres",
            dependencies: [
                "LiveHub", "PostgresStore", "Sockets", "Webinar", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Mail",
            dependencies: ["Webinar", "Sockets", "TLS", "CLinux", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // Wiring and entry point
        .target(
            name: "BackchannelServer",
            dependencies: [
                "Sockets", "HTTP1", "WebSocket", "WebSocketDeflate", "TLS", "Webinar", "Store", "PostgresStore", "LiveHub",
                "LiveHubPostgres", "Mail",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Rehearsal",
            dependencies: [
                "Sockets", "HTTP1", "WebSocket", "TLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "backchannel",
            dependencies: [
                "BackchannelServer", "Rehearsal", "Store", "PostgresStore", "Webinar", "Sockets", "WebSocket", "HTTP1", "TLS", "CLinux",
                "Mail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests
        // The blocking HTTP/WebSocket client (plain and TLS) the tests drive the server with, and the
        // real binary run as a child process.
        .target(
            name: "ServerTesting", dependencies: ["Sockets", "TLS", "HTTP1", "WebSocket", "Webinar", "TestSupport"],
            path: "Tests/ServerTesting", swiftSettings: swiftSettings),
        .target(
            name: "TestSupport", dependencies: ["TLS", "PostgresStore", "CZlib"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CivilTimeTests", dependencies: ["CivilTime"], swiftSettings: swiftSettings),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "WebSocketDeflate", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets", "TLS", "TestSupport", "ServerTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BackchannelCLITests", dependencies: ["backchannel", "Rehearsal", "ServerTesting", "TestSupport", "Webinar"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "WebinarTests", dependencies: ["Webinar", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LiveHubTests",
            dependencies: ["LiveHub", "Sockets", "Store", "Webinar", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MailTests",
            dependencies: ["Mail", "Sockets", "TLS", "Webinar", "Store", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "PostgresStore", "Webinar", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "BackchannelServer", "PostgresStore", "Sockets", "WebSocket", "WebSocketDeflate", "HTTP1", "TLS", "TestSupport",
                "ServerTesting", "Webinar", "Store", "Mail",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer harnesses (IntegrationTests/fuzz/<name>, each with a seed corpus): see docs/fuzzing.md.
if fuzzing {
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("http-parser", ["HTTP1"]),
        ("chunked-decoder", ["HTTP1"]),
        ("websocket-reader", ["WebSocket"]),
        ("deflate-inflater", ["WebSocket", "WebSocketDeflate"]),
        ("live-message", ["BackchannelServer"]),
        ("json-bodies", ["BackchannelServer", "HTTP1", "Webinar"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "IntegrationTests/fuzz/Support", swiftSettings: swiftSettings))
    for harness in harnesses {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(harness.name)",
                dependencies: harness.dependencies + ["FuzzSupport"],
                path: "IntegrationTests/fuzz/\(harness.name)",
                exclude: ["corpus", "dictionary"],
                // The entry point is the harness's own `fuzz_<name>_main`, which hands over to libFuzzer.
                swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])],
                // lld: gold stops with an internal error on these sanitized objects.
                linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]))
    }
}
