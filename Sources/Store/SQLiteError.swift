import CSQLite

/// An error reported by SQLite, with the context needed to act on it: SQLite's code and message,
/// the SQL that failed and the database file.
public struct SQLiteError: DatabaseFailure, Sendable {
    /// SQLite's extended result code (`sqlite3_extended_errcode`).
    public let code: Int32
    public let message: String
    public let sql: String?
    public let path: String?

    public init(code: Int32, message: String, sql: String? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xff }

    /// Another connection held the lock past busy_timeout: worth retrying later.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// The database could not write now, for a reason outside the statement: a full disk, an
    /// I/O error, a lock, or a grouped write rolled back by another write's failure
    /// (`SQLITE_ABORT`). The same write may succeed later; nothing about it was wrong.
    public var isTransient: Bool {
        isBusy || [SQLITE_FULL, SQLITE_IOERR, SQLITE_ABORT].contains(primaryCode)
    }

    public var description: String {
        var text = "SQLite error \(code) (\(String(cString: sqlite3_errstr(code)))): \(message)"
        if let path { text += " [database: \(path)]" }
        if let sql { text += " [sql: \(sql.count > 200 ? sql.prefix(200) + "…" : Substring(sql))]" }
        return text
    }
}
