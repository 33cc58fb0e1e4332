import ArgumentParser
import CLI
import Ingest
import Logging
import Queue
import ServiceLifecycle
import Store

/// `pipeline-agent serve`: ingest and worker in one process, sharing one database connection
/// (a laptop, or a single small pod).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook and the worker in one process."
    )

    @Option(help: "SQLite database file (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Option(help: "Port (default: $PORT or 8000).")
    var port: Int?

    @Option(help: "Bind address (default: $AGENT_INGEST_HOST or 0.0.0.0).")
    var host: String?

    func run() async throws {
        let settings = EnvironmentSettings()
        let logger = ProcessLogging.bootstrap(label: "pipeline-agent.serve", settings: settings)
        let database = try Database.open(path: db ?? settings.databasePath, options: try settings.connectionOptions())
        let queue = SQLiteJobQueue(database: database, configuration: try settings.queueConfiguration())
        var ingest = try IngestSettings.configuration(settings)
        if let port { ingest.port = port }
        if let host { ingest.host = host }
        let server = IngestServer(queue: queue, configuration: ingest, readiness: { try await database.checkSchema() })
        let worker = try WorkerAssembly.worker(queue: queue, settings: settings, logger: logger)
        logger.info("serve starting", metadata: ["address": "\(ingest.host):\(ingest.port)", "db": "\(database.path)"])
        let group = ServiceGroup(
            services: [server.application(logger: logger), worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
