import CLI
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Storage
import Synchronization

/// Fresh databases on the PostgreSQL server a benchmark is pointed at (`--db`): each phase
/// gets an empty one, as the SQLite benchmarks get a new file, and they are dropped at the
/// end. The server's own settings (fsync, synchronous_commit) stay as they are and are printed.
final class BenchDatabases: Sendable {
    let server: PostgresLocation
    private let backend: PostgresBackend
    private let tag = UUID().uuidString.prefix(8).lowercased()
    private let created = Mutex<[String]>([])
    let logger: Logger

    init(url: String) throws {
        server = try PostgresLocation(url: url)
        var logger = Logger(label: "pipeline-agent-bench.postgres")
        logger.logLevel = .error
        self.logger = logger
        backend = PostgresBackend(location: server, settings: PostgresSettings(poolSize: 1), logger: logger)
    }

    /// `SHOW name` on the server.
    func setting(_ name: String) async throws -> String {
        let rows = try await backend.client.query(PostgresQuery(unsafeSQL: "SHOW \(name)"), logger: logger)
        for try await value in rows.decode(String.self) { return value }
        throw CommandFailure("SHOW \(name) returned nothing")
    }

    /// Creates `pipeline_agent_bench_<run>_<name>`; returns its location.
    func create(_ name: String) async throws -> PostgresLocation {
        let database = "pipeline_agent_bench_\(tag)_\(name)"
        _ = try await backend.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"), logger: logger)
        created.withLock { $0.append(database) }
        var location = server
        location.database = database
        return location
    }

    /// Writes about `megabytes` of WAL in a scratch database, then drops it, so that the
    /// measured phases find recycled WAL segments as a server that has been running does.
    /// A fresh server (a new initdb) creates a 16 MB segment, zero-filled and fsynced while
    /// commits wait, each time its WAL grows: measured here, the ingest run on a fresh
    /// server had p99 24–29 ms against 5–6 ms on the next run, and 5.2 ms on the first run
    /// with `wal_init_zero=off`. DROP DATABASE forces the checkpoint that recycles the
    /// scratch segments (CHECKPOINT itself needs a superuser). Returns the time it took.
    func recycleWAL(megabytes: Int) async throws -> Duration {
        let start = ContinuousClock.now
        let location = try await create("wal_warmup")
        // The server ends the insert after 10 minutes (about 0.4 MB/s): a slow disk gets a clear
        // error (statement timeout) instead of the default 30 s cutting a warm-up short.
        let scratch = PostgresBackend(location: location, settings: PostgresSettings(poolSize: 1, statementTimeout: .seconds(600)),
                                      logger: logger)
        do {
            // 2,000-byte rows stay inline and uncompressed: about a megabyte of WAL per 450 rows.
            _ = try await scratch.client.query("CREATE TABLE wal_warmup (filler text)", logger: logger)
            _ = try await scratch.client.query(
                "INSERT INTO wal_warmup SELECT repeat('x', 2000) FROM generate_series(1, \(megabytes * 450))", logger: logger)
        } catch {
            await scratch.shutdown()
            throw error
        }
        await scratch.shutdown()
        try await drop(location.database)
        return ContinuousClock.now - start
    }

    /// Opens (and migrates) the pipeline agent's storage in a new database.
    func storage(_ name: String, poolSize: Int) async throws -> AgentStorage {
        try await storage(name, settings: PostgresSettings(poolSize: poolSize))
    }

    func storage(_ name: String, settings: PostgresSettings) async throws -> AgentStorage {
        try await AgentStorage.postgres(try await create(name), settings: settings, logger: logger)
    }

    /// Drops every database this run created, then closes the connection.
    func dropAll() async {
        for database in created.withLock({ $0 }) {
            do {
                try await drop(database)
            } catch {
                logger.error("could not drop \(database): \(String(reflecting: error))")
            }
        }
        await backend.shutdown()
    }

    private func drop(_ database: String) async throws {
        _ = try await backend.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"), logger: logger)
        created.withLock { $0.removeAll { $0 == database } }
    }
}

extension PostgresLocation {
    /// A libpq URL for Python clients (asyncpg).
    var libpqURL: String {
        let user = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? username
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        let mode = tls == .verifyFull ? "verify-full" : tls.rawValue
        return "postgresql://\(user)\(secret)@\(host):\(port)/\(database)?sslmode=\(mode)"
    }
}
