import Dispatch
import Foundation
import Synchronization

/// A database shared by concurrent tasks: one connection whose blocking calls run on a serial
/// dispatch queue of its own, never on the Swift concurrency pool.
///
/// Writes issued concurrently are grouped into one `BEGIN IMMEDIATE … COMMIT` (group commit):
/// one failing write does not undo the others (see `commit`), and every caller is answered
/// only after the shared commit is durable. Throughput then scales with the
/// number of concurrent writers instead of being capped at one fsync per write. A database
/// opened with `synchronous=FULL` flushes its WAL on a thread of its own (`WALSync`), so
/// that the next batch runs while the last one reaches the disk.
public final class Database: Sendable {
    public let path: String
    public let maxBatch: Int
    private let queue: DispatchQueue
    // Touched only on `queue`.
    nonisolated(unsafe) private let connection: Connection
    private let pending = Mutex(PendingWrites())
    private let counters = Mutex(WriteStatistics())
    /// Flushes committed batches before their writers are answered; nil when COMMIT itself
    /// flushes (or, under `synchronous=NORMAL`, nothing does).
    let walSync: WALSync?

    /// Commits and the writes they carried, since open: `writes / commits` is the mean group size.
    public struct WriteStatistics: Sendable, Equatable {
        public var commits = 0
        public var writes = 0
        /// CPU time the database thread spent running write batches (excludes waiting for disk).
        public var busy = Duration.zero
    }

    public var statistics: WriteStatistics { counters.withLock { $0 } }

    private struct PendingWrites: ~Copyable {
        var writes: [any BatchedWrite] = []
        var flushScheduled = false
    }

    /// Takes ownership of `connection`; it must not be used elsewhere afterwards. Commits are
    /// as durable as the connection's `synchronous` setting makes them.
    public convenience init(connection: sending Connection, maxBatch: Int = 512) {
        self.init(connection: connection, maxBatch: maxBatch, walSync: nil)
    }

    /// `walSync`: the connection commits with `synchronous=NORMAL` and this flushes the WAL.
    init(connection: sending Connection, maxBatch: Int = 512, walSync: WALSync?) {
        self.path = connection.path
        self.connection = connection
        self.maxBatch = max(1, maxBatch)
        self.queue = DispatchQueue(label: "sqlite:\(connection.path)")
        self.walSync = walSync
    }

    /// Opens (creating the file and its directory if needed) and migrates the database to the
    /// schema this binary carries. Refuses a database newer than the binary. With
    /// `synchronous=FULL` (the default) the migrations commit with it, and later writes are
    /// flushed by `WALSync`.
    public static func open(
        path: String,
        options: ConnectionOptions = ConnectionOptions(),
        migrations: [Migration] = Schema.migrations
    ) throws -> Database {
        try open(path: path, options: options, migrations: migrations, flush: WALSync.fdatasync)
    }

    /// `open` with the WAL flush given (tests: a slow or failing disk).
    static func open(path: String, options: ConnectionOptions, migrations: [Migration],
                     flush: @escaping @Sendable (Int32) -> Int32) throws -> Database {
        let connection = try Connection.openCreatingDirectory(path: path, options: options)
        try Migrator(migrations: migrations).migrate(connection)
        guard options.synchronous == .full, !options.readOnly else { return Database(connection: connection) }
        try connection.execute("PRAGMA synchronous=NORMAL")
        return Database(connection: connection, walSync: WALSync(databasePath: path, flush: flush))
    }

    /// Throws unless the database answers and has the schema this binary carries (readiness).
    public func checkSchema(migrations: [Migration] = Schema.migrations) async throws {
        try await read { try Migrator(migrations: migrations).requireCurrent($0) }
    }

    /// Runs `body` in a transaction shared with other concurrent writes. `body` may run more
    /// than once (its first run rolled back), so it must touch nothing but the connection.
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

    /// SQLite's `PRAGMA data_version`: a number that changes whenever another connection (another
    /// process) committed to the file since the last look, and never for this connection's own
    /// commits. Reading it touches no table, so a process can watch for others' writes cheaply.
    public func dataVersion() async throws -> Int64 {
        try await read { try $0.queryFirst("PRAGMA data_version") { $0.int64(0) } ?? 0 }
    }

    /// Rebuilds the file without its free pages (after retention deleted many rows), so the
    /// space goes back to the filesystem. Needs free space about the size of the database and
    /// holds the write lock for its whole run: an operator's step (`agentctl prune --vacuum`).
    public func vacuum() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                continuation.resume(with: Result { try self.connection.execute("VACUUM") })
            }
        }
    }

    // Without a WALSync, writers are answered here, on this thread, after the commit. Answering
    // them from a thread of its own saved the database thread about a tenth of its time
    // (resuming a continuation schedules its task and often wakes a pool thread), but this
    // thread then took the next batch before the answered writers had sent their next writes:
    // smaller groups (about 1.5× the commits per job in the queue bench), whose WAL writes and
    // fsyncs cost as much again. WALSync answers from its thread too, and groups shrink (about
    // 60 writes per commit instead of 78), but the flush it takes off this thread is worth
    // more: queue lifecycle 18.5–20.0k jobs/s against 16.6–19.0k, alternated.
    private func flush() {
        while true {
            let batch: [any BatchedWrite] = pending.withLock { state in
                let count = min(maxBatch, state.writes.count)
                if count == 0 { state.flushScheduled = false }
                defer { state.writes.removeFirst(count) }
                return Array(state.writes.prefix(count))
            }
            if batch.isEmpty { return }
            let start = Self.threadCPUTime()
            commit(batch)
            let elapsed = Self.threadCPUTime() - start
            counters.withLock { $0.busy += elapsed }
        }
    }

    private static func threadCPUTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    private func commit(_ batch: [any BatchedWrite]) {
        // Fast path: the whole batch in one transaction without savepoints. Writes rarely fail;
        // when one does, the batch is rolled back and run again with a savepoint around each
        // write, so that only the failing write's changes are undone.
        if batch.count > 1, run(batch, isolated: false) { return }
        _ = run(batch, isolated: true)
    }

    /// Runs `batch` in one transaction; returns false (after rolling back, answering no one)
    /// when a write failed on the fast path.
    private func run(_ batch: [any BatchedWrite], isolated: Bool) -> Bool {
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for write in batch { write.finish(commitError: error) }
            return true
        }
        for write in batch {
            if !write.perform(on: connection, isolated: isolated) && !isolated {
                rollback()
                return false
            }
            if !connection.isInTransaction {
                // SQLite rolled the whole transaction back (disk full, I/O error): nothing of the
                // batch is kept, and the writes after this one would each commit on their own.
                let error = SQLiteError(code: 4, message: "the transaction was rolled back after a write failed; nothing was written")
                for write in batch { write.finish(commitError: error) }
                return true
            }
        }
        do {
            try connection.execute("COMMIT")
            counters.withLock { $0.commits += 1; $0.writes += batch.count }
            if let walSync {
                walSync.answerWhenDurable(batch)
            } else {
                for write in batch { write.finish(commitError: nil) }
            }
        } catch {
            rollback()
            for write in batch { write.finish(commitError: error) }
        }
        return true
    }

    private func rollback() {
        // Nothing to do when SQLite already rolled back; a failed rollback leaves nothing to undo.
        if connection.isInTransaction { try? connection.execute("ROLLBACK") }
    }
}

/// A write waiting for its batch's commit.
protocol BatchedWrite: Sendable {
    /// Runs the write (inside its own savepoint when `isolated`); false when it threw.
    func perform(on connection: Connection, isolated: Bool) -> Bool
    func finish(commitError: (any Error)?)
}

private final class Write<T: Sendable>: BatchedWrite, @unchecked Sendable {
    // `outcome` is set on the database queue by perform and read by finish, there or, after
    // a hand-off through WALSync's lock, on its queue.
    private var outcome: Result<T, any Error>?
    private let body: @Sendable (Connection) throws -> T
    private let continuation: CheckedContinuation<T, any Error>

    init(body: @escaping @Sendable (Connection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func perform(on connection: Connection, isolated: Bool) -> Bool {
        outcome = Result { isolated ? try connection.savepoint { try body(connection) } : try body(connection) }
        if case .failure = outcome { return false }
        return true
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
