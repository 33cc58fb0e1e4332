import Foundation

/// Brings a database to the latest schema: applies missing migrations in version order inside
/// one `BEGIN IMMEDIATE` transaction and records each in `schema_migrations`. Concurrent
/// processes starting together serialize on the write lock; the later ones find nothing to do.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies what is missing; returns the migrations applied now.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Migration] {
        if let duplicate = Dictionary(grouping: migrations, by: \.version).first(where: { $0.value.count > 1 }) {
            throw MigrationError.duplicateVersion(duplicate.key)
        }
        return try connection.transaction {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """)
            let applied = Set(try connection.query("SELECT version FROM schema_migrations") { $0.int(0) })
            if let newest = applied.max(), newest > latestVersion {
                throw MigrationError.databaseNewer(databaseVersion: newest, knownVersion: latestVersion, path: connection.path)
            }
            let missing = migrations.filter { !applied.contains($0.version) }
            let now = Date().epochMilliseconds
            for migration in missing {
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [migration.version, migration.name, now])
            }
            return missing
        }
    }

    /// Throws unless the database is at exactly this migrator's latest version.
    public func requireCurrent(_ connection: Connection) throws {
        let version = try currentVersion(connection)
        guard version == latestVersion else {
            throw MigrationError.notCurrent(databaseVersion: version, knownVersion: latestVersion, path: connection.path)
        }
    }

    /// The highest applied version, or 0 for an empty database.
    public func currentVersion(_ connection: Connection) throws -> Int {
        let exists = try connection.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") { _ in true } ?? false
        guard exists else { return 0 }
        return try connection.queryFirst("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
    }
}
