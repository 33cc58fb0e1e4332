import ArgumentParser
import CLI
import Logging
import PostgresStore
import Queue
import Storage

/// `--db` and `--json`, taken by every command that reads the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file or postgres:// URL (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    var settings: EnvironmentSettings { EnvironmentSettings() }

    var path: String { db ?? settings.databasePath }

    /// Opens (and migrates) the database: a SQLite file or PostgreSQL.
    func openStorage() async throws -> AgentStorage {
        var logger = Logger(label: "agentctl")
        logger.logLevel = .error
        return try await AgentStorage.open(
            path, connectionOptions: try settings.connectionOptions(), queueConfiguration: try settings.queueConfiguration(),
            postgresSettings: try PostgresSettings.fromEnvironment(settings.environment, applicationName: "agentctl"),
            logger: logger)
    }

    /// The queue of `openStorage()`.
    func openQueue() async throws -> any JobQueue {
        try await openStorage().queue
    }
}
