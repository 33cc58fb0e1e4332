import ArgumentParser
import CLI
import Ingest
import Logging
import Queue
import Store

/// `pipeline-agent ingest`: the webhook server. Never calls an LLM or an MCP server.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Serve the webhook: validate, dedupe and durably queue failure reports."
    )

    @Option(help: "SQLite database file (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Option(help: "Port (default: $PORT or 8000).")
    var port: Int?

    @Option(help: "Bind address (default: $AGENT_INGEST_HOST or 0.0.0.0).")
    var host: String?

    func run() async throws {
        let settings = EnvironmentSettings()
        let logger = ProcessLogging.bootstrap(label: "pipeline-agent.ingest", settings: settings)
        let database = try Database.open(path: db ?? settings.databasePath, options: try settings.connectionOptions())
        let queue = SQLiteJobQueue(database: database, configuration: try settings.queueConfiguration())
        var configuration = try IngestSettings.configuration(settings)
        if let port { configuration.port = port }
        if let host { configuration.host = host }
        let server = IngestServer(queue: queue, configuration: configuration, readiness: { try await database.checkSchema() })
        logger.info("ingest starting", metadata: [
            "address": "\(configuration.host):\(configuration.port)", "db": "\(database.path)",
            "auth": "\(configuration.token == nil ? "off" : "bearer token")",
        ])
        // Runs until SIGTERM/SIGINT, then stops accepting and lets in-flight requests finish.
        try await server.application(logger: logger).runService()
        logger.info("ingest stopped")
    }
}
