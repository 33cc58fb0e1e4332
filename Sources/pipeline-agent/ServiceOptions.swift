import ArgumentParser
import CLI
import Ingest
import Logging
import Queue
import Store

/// `--db`, `--port`, `--host`: what `ingest` and `serve` share, and how they open the queue
/// and build the webhook server from them and the environment.
struct ServiceOptions: ParsableArguments {
    @Option(help: "SQLite database file (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Option(help: "Port (default: $PORT or 8000).")
    var port: Int?

    @Option(help: "Bind address (default: $AGENT_INGEST_HOST or 0.0.0.0).")
    var host: String?

    func openQueue(_ settings: EnvironmentSettings) throws -> SQLiteJobQueue {
        try Self.openQueue(db: db, settings)
    }

    static func openQueue(db: String?, _ settings: EnvironmentSettings) throws -> SQLiteJobQueue {
        let database = try Database.open(path: db ?? settings.databasePath, options: try settings.connectionOptions())
        return SQLiteJobQueue(database: database, configuration: try settings.queueConfiguration())
    }

    func ingestServer(queue: SQLiteJobQueue, settings: EnvironmentSettings) throws -> IngestServer {
        var configuration = try IngestSettings.configuration(settings)
        if let port { configuration.port = port }
        if let host { configuration.host = host }
        let database = queue.database
        return IngestServer(queue: queue, configuration: configuration, readiness: { try await database.checkSchema() })
    }
}
