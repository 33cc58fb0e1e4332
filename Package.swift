// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: executables → Queue → Store → CSQLite;
// MCPClient/LLMClient → HTTPClient → CCurl, and → JSON. Nothing below imports anything above it.
let package = Package(
    name: "pipeline-agent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pipeline-agent", targets: ["pipeline-agent"]),
        .executable(name: "agentctl", targets: ["agentctl"]),
        .executable(name: "pipeline-agent-bench", targets: ["pipeline-agent-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CMalloc"),

        // Storage and queue
        .target(name: "Store", dependencies: ["CSQLite"], plugins: ["EmbedMigrations"]),
        .target(
            name: "Queue",
            dependencies: ["Store", .product(name: "Logging", package: "swift-log")]
        ),

        // JSON values, a byte-level parser and writer: pure Swift, no I/O
        .target(name: "JSON"),

        // Outgoing HTTP and MCP
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "MCPClient", dependencies: ["HTTPClient", "JSON"]),
        .target(name: "LLMClient", dependencies: ["HTTPClient", "JSON"]),

        // The webhook: validates, dedupes and durably queues reports; never calls an LLM or MCP.
        .target(
            name: "Ingest",
            dependencies: [
                "JSON", "Queue", "QueueMetrics", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The queue's Prometheus gauges, shared by ingest's and the worker's /metrics.
        .target(
            name: "QueueMetrics",
            dependencies: ["Queue", .product(name: "Prometheus", package: "swift-prometheus")]
        ),

        // Analysis (excerpt, redaction): pure Swift, no I/O
        .target(name: "Analysis"),

        // Shared by the executables: exit codes, tables, JSON output, environment settings, log format
        .target(
            name: "CLI",
            dependencies: [
                "CMalloc", "JSON", "Queue", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The agent loop: prompt, tool policy, MCP tool routing, transcripts.
        .target(
            name: "Agent",
            dependencies: ["Analysis", "JSON", "LLMClient", "MCPClient", "Store", .product(name: "Logging", package: "swift-log")]
        ),

        // The worker: leases jobs, runs them with heartbeats and retries, shuts down gracefully.
        .target(
            name: "Worker",
            dependencies: [
                "Queue", "Store", "JSON", "MCPClient", "LLMClient", "Analysis", "Agent",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The worker's HTTP port: health, readiness and Prometheus metrics.
        .target(
            name: "WorkerStatus",
            dependencies: [
                "Queue", "QueueMetrics", "Worker",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The read-only web UI under /ui: HTML pages over the storage seams (jobs, attempts,
        // transcripts, failure groups, queue health). Served by ingest and serve.
        .target(
            name: "WebUI",
            dependencies: [
                "Queue", "Worker", "Agent",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The PostgreSQL drivers of the storage seams (queue, failure groups + ledger,
        // transcripts), for replicas on several hosts. Its SQL stays here.
        .target(
            name: "PostgresStore",
            dependencies: [
                "Queue", "Store", "Worker", "Agent", "LLMClient",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedMigrations"]
        ),

        // Opens the storage `AGENT_DB` names: a SQLite file (default) or a postgres:// URL.
        .target(
            name: "Storage",
            dependencies: [
                "Queue", "Store", "Worker", "Agent", "PostgresStore", .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: parse arguments, wire, run
        .executableTarget(
            name: "agentctl",
            dependencies: [
                "CLI", "Queue", "Store", "Storage", "PostgresStore", "JSON", "MCPClient", "Analysis", "Agent", "LLMClient", "Worker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "pipeline-agent",
            dependencies: [
                "CLI", "Queue", "QueueMetrics", "Store", "Storage", "PostgresStore", "Ingest", "Worker", "WorkerStatus", "WebUI", "Agent",
                "Analysis", "LLMClient", "MCPClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "pipeline-agent-bench",
            dependencies: [
                "CLI", "Queue", "Store", "Ingest", "Worker", "Agent", "Analysis", "JSON", "LLMClient", "MCPClient", "HTTPClient",
                "Storage", "PostgresStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Build-time tool: turns migrations/*.sql into Swift so binaries carry their schema.
        .executableTarget(name: "embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"]),

        // Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "QueueTests", dependencies: ["Queue", "Store", "TestSupport"]),
        .testTarget(name: "AgentCtlTests", dependencies: ["Queue", "Store", "Worker", "TestSupport"]),
        .testTarget(
            name: "IngestTests", dependencies: ["Ingest", "Queue", "Store", "HTTPClient", "TestSupport"], exclude: ["Fixtures"]
        ),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Queue", "Store", "JSON", "MCPClient", "HTTPClient", "Analysis", "TestSupport"]),
        .testTarget(
            name: "CLITests", dependencies: ["CLI", "JSON", "Queue", "Store", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "MCPClientTests", dependencies: ["JSON", "MCPClient", "HTTPClient", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LLMClientTests", dependencies: ["JSON", "LLMClient", "HTTPClient", "TestSupport"]),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "JSON", "LLMClient", "MCPClient", "HTTPClient", "Store", "TestSupport"]),
        .testTarget(
            name: "StorageContractTests",
            dependencies: [
                "Storage", "PostgresStore", "Queue", "Store", "Worker", "Agent", "LLMClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WebUITests",
            dependencies: ["WebUI", "Ingest", "HTTPClient", "Storage", "PostgresStore", "Queue", "Store", "Worker", "Agent", "LLMClient", "TestSupport",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "EndToEndTests", dependencies: [.product(name: "Logging", package: "swift-log"), "PostgresStore", "Storage", "Worker", "Ingest", "Agent", "JSON", "LLMClient", "MCPClient", "HTTPClient", "Queue", "Store", "TestSupport"]),
    ]
)
