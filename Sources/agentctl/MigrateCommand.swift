import ArgumentParser
import CLI
import Foundation
import Logging
import PostgresStore
import Store

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database schema up to date (every process also does this at start)."
    )

    @OptionGroup var options: DatabaseOptions

    struct Output: Encodable {
        let applied: [String]
        let version: Int
    }

    func run() async throws {
        let (applied, version, place) = PostgresLocation.isPostgresURL(options.path) ? try await migratePostgres() : try migrateSQLite()
        if options.json {
            print(try JSONOutput.encode(Output(applied: applied.map { String(format: "%04d_%@", $0.version, $0.name) }, version: version)))
        } else if applied.isEmpty {
            print("schema up to date (version \(version)) in \(place)")
        } else {
            for migration in applied { print("applied \(String(format: "%04d", migration.version))_\(migration.name)") }
            print("schema at version \(version) in \(place)")
        }
    }

    private func migrateSQLite() throws -> ([Migration], Int, String) {
        let connection = try Connection.openCreatingDirectory(path: options.path, options: try options.settings.connectionOptions())
        let migrator = Migrator(migrations: Schema.migrations)
        let applied = try migrator.migrate(connection)
        return (applied, try migrator.currentVersion(connection), options.path)
    }

    /// migrations/postgres/, under the advisory lock every replica takes too.
    private func migratePostgres() async throws -> ([Migration], Int, String) {
        let location = try PostgresLocation(url: options.path)
        var logger = Logger(label: "agentctl")
        logger.logLevel = .error
        let backend = PostgresBackend(
            location: location,
            settings: try PostgresSettings.fromEnvironment(options.settings.environment, applicationName: "agentctl"),
            logger: logger)
        do {
            let migrator = PostgresMigrator(backend: backend)
            let applied = try await migrator.migrate()
            let version = try await migrator.currentVersion()
            await backend.shutdown()
            return (applied, version, location.description)
        } catch {
            await backend.shutdown()
            throw error
        }
    }
}
