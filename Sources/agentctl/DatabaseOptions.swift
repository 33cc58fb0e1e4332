import ArgumentParser
import CLI
import Queue
import Store

/// `--db` and `--json`, taken by every command that reads the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    var settings: EnvironmentSettings { EnvironmentSettings() }

    var path: String { db ?? settings.databasePath }

    /// Opens (and migrates) the database and puts the queue on it.
    func openQueue() throws -> SQLiteJobQueue {
        let database = try Database.open(path: path, options: try settings.connectionOptions())
        return SQLiteJobQueue(database: database, configuration: try settings.queueConfiguration())
    }
}
