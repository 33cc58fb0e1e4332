import Foundation
import Logging
import PostgresNIO
import Store

/// Brings a PostgreSQL database to the schema in `migrations/postgres/`, embedded at build time.
/// Replicas starting together migrate once: the runner holds a session advisory lock while it
/// reads what is applied and applies the rest, each migration in its own transaction with its
/// `schema_migrations` row.
public struct PostgresMigrator: Sendable {
    public static let migrations: [Migration] = embeddedMigrations.map {
        // The build fails on nothing here, so a bad file name must stop every process loudly.
        do { return try Migration(fileName: $0.file, sql: $0.sql) } catch { fatalError("\(error)") }
    }.sorted { $0.version < $1.version }

    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The advisory lock key ("pipeline-agent migrate"), the same in every binary.
    static let lockKey: Int64 = 0x7069_7065_6d69_6772

    let backend: PostgresBackend

    public init(backend: PostgresBackend) {
        self.backend = backend
    }

    /// Applies what is missing; returns the migrations applied now.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        do {
            return try await lockAndApply()
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    private func lockAndApply() async throws -> [Migration] {
        let logger = backend.logger
        return try await backend.client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            let result: Result<[Migration], any Error>
            do {
                result = .success(try await Self.applyMissing(connection, logger: logger))
            } catch {
                result = .failure(error)
            }
            do {
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            } catch {
                // The session's lock ends with its connection anyway; the migration's own
                // outcome is what the caller needs.
                logger.warning("could not release the migration lock", metadata: ["error": "\(String(reflecting: error))"])
            }
            return try result.get()
        }
    }

    private static func applyMissing(_ connection: PostgresConnection, logger: Logger) async throws -> [Migration] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER     PRIMARY KEY,
                name       TEXT        NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var applied = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
            .decode(Int.self) {
            applied.insert(version)
        }
        if let newest = applied.max(), newest > latestVersion {
            throw PostgresStoreError.databaseNewer(databaseVersion: newest, knownVersion: latestVersion)
        }
        let missing = migrations.filter { !applied.contains($0.version) }
        for migration in missing {
            logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            let statements = try SQLScript.statements(migration.sql)
            // Each migration and its bookkeeping row in one transaction: all or nothing.
            try await connection.withTransaction(logger: logger) { connection in
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
        }
        return missing
    }

    /// The highest applied version, or 0 for an empty database.
    public func currentVersion() async throws -> Int {
        // Two statements: a statement naming a missing table fails at planning, whatever its WHERE.
        let exists = try await backend.first("SELECT to_regclass('schema_migrations') IS NOT NULL") { row in
            try row.value(0, as: Bool.self)
        } ?? false
        guard exists else { return 0 }
        return try await backend.first("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { row in
            try row.value(0, as: Int.self)
        } ?? 0
    }

    /// Throws unless the database is at exactly this binary's schema (readiness).
    public func requireCurrent() async throws {
        let version = try await currentVersion()
        guard version == Self.latestVersion else {
            throw PostgresStoreError.notCurrent(databaseVersion: version, knownVersion: Self.latestVersion)
        }
    }
}
