import Foundation
import Logging
import PostgresNIO

/// One PostgreSQL database: a `PostgresClient` pool, the task that runs it, and the helpers the
/// drivers share. Every statement binds its values (`PostgresQuery` interpolation); no value
/// is ever spliced into SQL text.
public final class PostgresBackend: Sendable {
    public let client: PostgresClient
    public let location: PostgresLocation
    public let settings: PostgresSettings
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Starts the pool; connections are made on first use. Call `shutdown()` when done.
    public init(location: PostgresLocation, settings: PostgresSettings = PostgresSettings(), logger: Logger) {
        self.location = location
        self.settings = settings
        self.logger = logger
        let client = PostgresClient(configuration: location.clientConfiguration(settings), backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Closes the pool's connections.
    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    /// Runs `query` on a pooled connection and decodes every row.
    func rows<T>(_ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        do {
            return try await Self.collect(try await client.query(query, logger: logger), decode)
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    /// Runs `query` and decodes the first row, if any.
    func first<T>(_ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> T? {
        try await rows(query, decode).first
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query) { _ in () }
    }

    /// Runs `body` in one transaction (`BEGIN`…`COMMIT`, rolled back when it throws).
    func transaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(Transaction(connection: connection, logger: logger))
            }
        } catch {
            throw PostgresStoreError.wrap(error)
        }
    }

    /// A connection inside `transaction`.
    struct Transaction {
        let connection: PostgresConnection
        let logger: Logger

        func rows<T>(_ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
            try await PostgresBackend.collect(try await connection.query(query, logger: logger), decode)
        }

        func first<T>(_ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> T? {
            try await rows(query, decode).first
        }

        func execute(_ query: PostgresQuery) async throws {
            _ = try await rows(query) { _ in () }
        }

        /// Serializes, until the transaction ends, every transaction that takes the same key
        /// (on any host): what SQLite's `BEGIN IMMEDIATE` gives for free.
        func lock(_ scope: String, _ key: String) async throws {
            try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(scope + ":" + key), 0))")
        }
    }

    static func collect<T>(_ sequence: PostgresRowSequence, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var values: [T] = []
        for try await row in sequence {
            values.append(try decode(row.makeRandomAccess()))
        }
        return values
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `index` (a position in the statement's select list).
    func value<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        try self[index].decode(T.self)
    }
}
