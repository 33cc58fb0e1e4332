import Foundation
import Logging
import PostgresStore
import Testing
import TestSupport

/// PostgreSQL only: replicas starting together migrate once, under the advisory lock.
@Suite struct PostgresMigrationTests {
    @Test func replicasStartingTogetherMigrateOnce() async throws {
        let location = try PostgresLocation(url: try await PostgresCluster.shared.createDatabase())
        var logger = Logger(label: "migration-tests")
        logger.logLevel = .error
        let backends = (0..<4).map { _ in PostgresBackend(location: location, settings: PostgresSettings(poolSize: 2), logger: logger) }
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for backend in backends { group.addTask { try await PostgresMigrator(backend: backend).migrate().count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(applied.sorted() == [0, 0, 0, PostgresMigrator.migrations.count])
        let migrator = PostgresMigrator(backend: backends[0])
        #expect(try await migrator.currentVersion() == PostgresMigrator.latestVersion)
        try await migrator.requireCurrent()
        for backend in backends { await backend.shutdown() }
    }

    @Test func anEmptyDatabaseIsNotReady() async throws {
        let location = try PostgresLocation(url: try await PostgresCluster.shared.createDatabase())
        let backend = PostgresBackend(location: location, logger: Logger(label: "migration-tests"))
        let migrator = PostgresMigrator(backend: backend)
        #expect(try await migrator.currentVersion() == 0)
        await #expect(throws: PostgresStoreError.notCurrent(databaseVersion: 0, knownVersion: PostgresMigrator.latestVersion)) {
            try await migrator.requireCurrent()
        }
        await backend.shutdown()
    }

    @Test func urlsAreParsedAndPasswordsKeptOutOfDescriptions() throws {
        let location = try PostgresLocation(url: "postgres://agent:s%40cret@db.example:6432/agent?sslmode=require")
        #expect(location == PostgresLocation(host: "db.example", port: 6432, username: "agent", password: "s@cret",
                                             database: "agent", tls: .require))
        #expect(!location.description.contains("cret"))
        #expect(try PostgresLocation(url: "postgresql://u@h/d").tls == .prefer)
        for bad in ["postgres://h/d", "postgres://u@/d", "postgres://u@h", "postgres://u@h/d?sslmode=maybe", "postgres://u@h/d?x=1"] {
            #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: bad) }
        }
    }
}
