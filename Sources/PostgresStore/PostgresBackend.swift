import Foundation
import Logging
import PostgresNIO
import Store

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

    /// How long one statement may go unanswered: waiting for a pooled connection (at most
    /// `connectTimeout` to make one), then the statement (`statement_timeout` on the server),
    /// with as much again to spare. A link cut without a reset leaves a call waiting until TCP
    /// gives up, many minutes later; the caller hears `noAnswer` instead.
    var statementDeadline: Duration { settings.connectTimeout + settings.statementTimeout * 2 }
    /// The same for a transaction: the ones the stores run have a few statements, one of which
    /// may wait for a lock (the failure-group claims) before it writes.
    var transactionDeadline: Duration { settings.connectTimeout + settings.statementTimeout * 4 }

    /// Runs `query` on a pooled connection and decodes every row.
    func rows<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        let client = client
        let logger = logger
        return try await answer(within: statementDeadline) {
            try await Self.collect(try await client.query(query, logger: logger), decode)
        }
    }

    /// `rows`, sent again (up to `tries` in all) when the server rolled it back for a deadlock
    /// or a serialization failure: a batch statement whose rows another replica locked in
    /// another order.
    func rows<T: Sendable>(_ query: PostgresQuery, tries: Int,
                           _ decode: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var attempt = 1
        while true {
            do {
                return try await rows(query, decode)
            } catch let error as PostgresStoreError where error.isConflictRetry && attempt < tries {
                logger.debug("statement retried after a conflict", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                attempt += 1
            }
        }
    }

    /// Runs `query` and decodes the first row, if any.
    func first<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) async throws -> T? {
        try await rows(query, decode).first
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query) { _ in () }
    }

    /// Runs `body` in one transaction (`BEGIN`…`COMMIT`, rolled back when it throws).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T {
        let client = client
        let logger = logger
        return try await answer(within: transactionDeadline) {
            try await client.withTransaction(logger: logger) { connection in
                try await body(Transaction(connection: connection, logger: logger))
            }
        }
    }

    /// `operation`'s result, its error as a `PostgresStoreError`, or `noAnswer` once `limit`
    /// has passed (the operation is then cancelled and left to end on its own: postgres-nio
    /// does not give up a statement sent on a silent connection).
    private func answer<T: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let result = await Store.answer(before: .now + limit) { () async -> Result<T, any Error> in
            do { return .success(try await operation()) } catch { return .failure(error) }
        }
        guard let result else {
            try Task.checkCancellation()
            throw PostgresStoreError.noAnswer(within: limit)
        }
        do {
            return try result.get()
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
