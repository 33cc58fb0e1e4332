import CLI
import Logging
import PostgresStore
import Storage

extension EnvironmentSettings {
    /// Opens what `location` (or `AGENT_DB`) names: a `postgres://` URL or a SQLite file.
    func openStorage(_ location: String?, logger: Logger) async throws -> AgentStorage {
        try await AgentStorage.open(
            location ?? databasePath, connectionOptions: try connectionOptions(), queueConfiguration: try queueConfiguration(),
            postgresSettings: try PostgresSettings.fromEnvironment(environment), logger: logger)
    }
}
