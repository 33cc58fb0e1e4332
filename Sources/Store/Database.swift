import Dispatch
import Foundation
import Synchronization

/// A database shared by concurrent tasks: one connection whose blocking calls run on a serial
/// dispatch queue of its own, never on the Swift concurrency pool.
///
/// Writes issued concurrently are grouped into one `BEGIN IMMEDIATE … COMMIT` (group commit):
/// each runs in its own savepoint, so one failing write does not undo the others, and every
/// caller is answered only after the shared commit is durable. Throughput then scales with the
/// number of concurrent writers instead of being capped at one fsync per write.
public final class Database: Sendable {
    public let path: String
    public let maxBatch: Int
    private let queue: DispatchQueue
    // Touched only on `queue`.
    nonisolated(unsafe) private let connection: Connection
    private let pending = Mutex(PendingWrites())

    private struct PendingWrites: ~Copyable {
        var writes: [any BatchedWrite] = []
        var flushScheduled = false
    }

    /// Takes ownership of `connection`; it must not be used elsewhere afterwards.
    public init(connection: sending Connection, maxBatch: Int = 512) {
        self.path = connection.path
        self.connection = connection
        self.maxBatch = max(1, maxBatch)
        self.queue = DispatchQueue(label: "sqlite:\(connection.path)")
    }

    /// Opens (creating the file and its directory if needed) and migrates the database to the
    /// schema this binary carries. Refuses a database newer than the binary.
    public static func open(
        path: String,
        options: ConnectionOptions = ConnectionOptions(),
        migrations: [Migration] = Schema.migrations
    ) throws -> Database {
        let connection = try Connection.openCreatingDirectory(path: path, options: options)
        try Migrator(migrations: migrations).migrate(connection)
        return Database(connection: connection)
    }

    /// Runs `body` in a transaction shared with other concurrent writes.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let write = Write(body: body, continuation: continuation)
            let schedule = pending.withLock { state in
                state.writes.append(write)
                defer { state.flushScheduled = true }
                return !state.flushScheduled
            }
            if schedule { queue.async { self.flush() } }
        }
    }

    /// Runs `body` outside any transaction (each statement sees the latest committed data).
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }

    private func flush() {
        while true {
            let batch: [any BatchedWrite] = pending.withLock { state in
                let count = min(maxBatch, state.writes.count)
                if count == 0 { state.flushScheduled = false }
                defer { state.writes.removeFirst(count) }
                return Array(state.writes.prefix(count))
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [any BatchedWrite]) {
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for write in batch { write.finish(commitError: error) }
            return
        }
        for write in batch { write.perform(on: connection) }
        do {
            try connection.execute("COMMIT")
            for write in batch { write.finish(commitError: nil) }
        } catch {
            // The commit error is what every caller sees; a failed rollback leaves nothing to undo.
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            for write in batch { write.finish(commitError: error) }
        }
    }
}

/// A write waiting for its batch's commit.
private protocol BatchedWrite: Sendable {
    func perform(on connection: Connection)
    func finish(commitError: (any Error)?)
}

private final class Write<T: Sendable>: BatchedWrite, @unchecked Sendable {
    // `outcome` is touched only on the database queue, between perform and finish.
    private var outcome: Result<T, any Error>?
    private let body: @Sendable (Connection) throws -> T
    private let continuation: CheckedContinuation<T, any Error>

    init(body: @escaping @Sendable (Connection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func perform(on connection: Connection) {
        outcome = Result { try connection.savepoint { try body(connection) } }
    }

    func finish(commitError: (any Error)?) {
        switch (outcome, commitError) {
        case (.failure(let error), _): continuation.resume(throwing: error)
        case (_, let error?): continuation.resume(throwing: error)
        case (.success(let value), nil): continuation.resume(returning: value)
        case (nil, nil): continuation.resume(throwing: SQLiteError(code: 1, message: "write was never performed"))
        }
    }
}

extension Connection {
    /// Opens `path`, creating its parent directory first, with a clear error when that fails.
    public static func openCreatingDirectory(path: String, options: ConnectionOptions = ConnectionOptions()) throws -> Connection {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !options.readOnly && !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw SQLiteError(code: 14, message: "cannot create directory \(directory): \(error.localizedDescription)", path: path)
            }
        }
        return try Connection(path: path, options: options)
    }
}
