import CSQLite
import Foundation

/// How hard SQLite pushes a commit to disk (PRAGMA synchronous, in WAL mode).
public enum SynchronousMode: String, Sendable, CaseIterable {
    /// fsync on every commit: a committed transaction survives power loss.
    case full = "FULL"
    /// fsync only at checkpoints: a committed transaction survives a crash of the process,
    /// but the last transactions before a power loss or kernel crash may be rolled back.
    case normal = "NORMAL"
}

/// Settings for opening a database file.
public struct ConnectionOptions: Sendable {
    public var busyTimeout: Duration
    public var synchronous: SynchronousMode
    public var readOnly: Bool

    public init(busyTimeout: Duration = .seconds(5), synchronous: SynchronousMode = .full, readOnly: Bool = false) {
        self.busyTimeout = busyTimeout
        self.synchronous = synchronous
        self.readOnly = readOnly
    }
}

/// One SQLite connection: WAL, busy_timeout, foreign keys, a cache of prepared statements.
///
/// Not thread-safe; it belongs to one thread at a time (see `DatabaseExecutor`). A final class
/// rather than an actor so that `deinit` can close the handle.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    private var statements: [String: Statement] = [:]

    public init(path: String, options: ConnectionOptions = ConnectionOptions()) throws {
        _ = Self.configureLibrary
        var handle: OpaquePointer?
        let flags = (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: "cannot open database: \(message)", path: path)
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
        self.path = path
        let timeout = options.busyTimeout.components
        sqlite3_busy_timeout(handle, Int32(timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000))
        do {
            // The first statement reads the file header: a file that is not a database fails here.
            if !options.readOnly {
                // Only a new file takes it (an existing one keeps its page size; in WAL mode
                // SQLite ignores the pragma). A commit writes every page it changed to the WAL
                // whole, and the queue's writes are small rows and index entries scattered over
                // several b-trees: with 2 KiB pages the WAL carries half the bytes per job
                // (2.3 MB against 4.5 MB at the queue benchmark's end), and the lifecycle rate
                // over 100,000 jobs held its last 10k slice at 0.78–1.07 of the first (7 of 8
                // runs at 0.8 or more) against 0.74–0.92 (2 of 7) with 4 KiB pages and 0.70–0.83
                // with 8 KiB, for the same overall rate.
                try execute("PRAGMA page_size=2048")
                try execute("PRAGMA journal_mode=WAL")
            }
            try execute("PRAGMA foreign_keys=ON")
            // Savepoint journals of grouped writes stay in memory instead of temp files.
            try execute("PRAGMA temp_store=MEMORY")
            try execute("PRAGMA synchronous=\(options.synchronous.rawValue)")
        } catch let error as SQLiteError {
            throw SQLiteError(code: error.code, message: "cannot open database: \(error.message)", sql: error.sql, path: path)
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens.
    private static let configureLibrary: Void = {
        _ = csqlite_disable_memory_statistics()
    }()

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A cached prepared statement for `sql`.
    public func prepare(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement to completion, ignoring rows.
    public func execute(_ sql: String, _ values: [any SQLBindable] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs a script of several statements (e.g. a migration). No parameters.
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql, path: path)
        }
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ values: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        var rows: [T] = []
        while try statement.step() { rows.append(try map(statement.row)) }
        return rows
    }

    /// Runs a query and maps its first row, if any.
    public func queryFirst<T>(_ sql: String, _ values: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? map(statement.row) : nil
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front, so two
    /// writers never deadlock on a lock upgrade; rolls back when `body` throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the current transaction; on error only its own
    /// changes are undone.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT op")
        do {
            let value = try body()
            try execute("RELEASE op")
            return value
        } catch {
            try? execute("ROLLBACK TO op")
            try? execute("RELEASE op")
            throw error
        }
    }

    func error(_ code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }
}
