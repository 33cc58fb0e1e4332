import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct MigratorTests {
    let directory = TemporaryDirectory()

    @Test func migratesAnEmptyDatabaseAndIsIdempotent() throws {
        let connection = try Connection(path: directory.path("a.sqlite"))
        let migrator = Migrator(migrations: Schema.migrations)
        #expect(try migrator.currentVersion(connection) == 0)

        let applied = try migrator.migrate(connection)
        #expect(applied.map(\.version) == Schema.migrations.map(\.version))
        #expect(try migrator.currentVersion(connection) == Schema.latestVersion)
        let tables = Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) })
        #expect(tables.isSuperset(of: ["jobs", "attempts", "transcript_entries", "failure_groups", "effects", "schema_migrations"]))

        #expect(try migrator.migrate(connection).isEmpty)
        #expect(try connection.queryFirst("SELECT COUNT(*) FROM schema_migrations") { $0.int(0) } == Schema.migrations.count)
    }

    @Test func appliesOnlyMissingMigrationsInOrder() throws {
        let connection = try Connection(path: directory.path("b.sqlite"))
        let first = Migration(version: 1, name: "one", sql: "CREATE TABLE one (x INTEGER);")
        let second = Migration(version: 2, name: "two", sql: "ALTER TABLE one ADD COLUMN y TEXT;")
        try Migrator(migrations: [first]).migrate(connection)
        let applied = try Migrator(migrations: [second, first]).migrate(connection)
        #expect(applied == [second])
        try connection.execute("INSERT INTO one (x, y) VALUES (1, 'a')")
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let connection = try Connection(path: directory.path("c.sqlite"))
        let good = Migration(version: 1, name: "good", sql: "CREATE TABLE good (x INTEGER);")
        let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE bad (x INTEGER); SELEKT nonsense;")
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [good, bad]).migrate(connection) }
        #expect(try Migrator(migrations: [good]).currentVersion(connection) == 0)
        #expect(try connection.queryFirst("SELECT COUNT(*) FROM sqlite_master WHERE name = 'good'") { $0.int(0) } == 0)
    }

    @Test func refusesADatabaseNewerThanTheBinary() throws {
        let path = directory.path("d.sqlite")
        _ = try Database.open(path: path)
        let connection = try Connection(path: path)
        try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
        #expect(throws: MigrationError.databaseNewer(databaseVersion: 9999, knownVersion: Schema.latestVersion, path: path)) {
            _ = try Database.open(path: path)
        }
    }

    @Test func parsesMigrationFileNames() throws {
        let migration = try Migration(fileName: "0007_add_column.sql", sql: "")
        #expect(migration.version == 7 && migration.name == "add_column")
        #expect(throws: MigrationError.invalidFileName("init.sql")) { try Migration(fileName: "init.sql", sql: "") }
        #expect(throws: MigrationError.invalidFileName("0000_zero.sql")) { try Migration(fileName: "0000_zero.sql", sql: "") }
    }

    @Test func embeddedMigrationsMatchTheFilesInTheRepository() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appending(path: "migrations").path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == Schema.migrations.count)
        for (file, migration) in zip(files, Schema.migrations) {
            let sql = try String(contentsOf: root.appending(path: "migrations/\(file)"), encoding: .utf8)
            #expect(try Migration(fileName: file, sql: sql) == migration)
        }
    }
}
