import PostgresNIO
import Queue
import Store
import Worker

/// Why the PostgreSQL storage refused or failed, with the context an operator needs.
public enum PostgresStoreError: DatabaseFailure, Equatable, Sendable {
    case invalidURL(reason: String)
    /// The database was migrated by a newer binary.
    case databaseNewer(databaseVersion: Int, knownVersion: Int)
    case notCurrent(databaseVersion: Int, knownVersion: Int)
    /// A row the statement just wrote or locked was not there (a bug or a concurrent delete).
    case missingRow(String)
    case invalidValue(String)
    /// The server refused a statement or the connection failed: the SQLSTATE and the server's
    /// message (never the statement's values).
    case database(sqlState: String?, message: String)
    /// A call got no answer within its deadline (`PostgresBackend`): the server or the link
    /// hangs. It may still have been carried out.
    case noAnswer(within: Duration)

    public var description: String {
        switch self {
        case .invalidURL(let reason):
            return "AGENT_DB: invalid PostgreSQL URL: \(reason)"
        case .databaseNewer(let database, let known):
            return "the PostgreSQL schema is at version \(database), newer than this binary knows (\(known)); upgrade the binary"
        case .notCurrent(let database, let known):
            return "the PostgreSQL schema is at version \(database), this binary needs \(known)"
        case .missingRow(let what):
            return "PostgreSQL: \(what) not found"
        case .invalidValue(let what):
            return "PostgreSQL: \(what)"
        case .database(let sqlState, let message):
            return "PostgreSQL\(sqlState.map { " \($0)" } ?? ""): \(message)"
        case .noAnswer(let within):
            return "PostgreSQL: no answer within \(within) (the server or the link to it hangs)"
        }
    }
}


extension PostgresStoreError {
    /// postgres-nio's errors describe themselves generically (to keep values out of logs):
    /// this keeps what an operator needs, the SQLSTATE and the server's message or the
    /// connection problem.
    static func wrap(_ error: any Error) -> any Error {
        if let failed = error as? PostgresTransactionError {
            // The closure's own error (a QueueError, say) comes first; else what failed.
            return wrap(failed.closureError ?? failed.beginError ?? failed.commitError ?? failed.rollbackError
                        ?? PostgresStoreError.database(sqlState: nil, message: "transaction failed"))
        }
        guard let error = error as? PSQLError else { return error }
        if let server = error.serverInfo {
            return PostgresStoreError.database(sqlState: server[.sqlState], message: server[.message] ?? "\(error.code)")
        }
        return PostgresStoreError.database(sqlState: nil, message: "\(error.code)\(error.underlying.map { ": \($0)" } ?? "")")
    }

    /// The server's SQLSTATE, when the server answered.
    var sqlState: String? {
        guard case .database(let sqlState, _) = self else { return nil }
        return sqlState
    }

    /// A value the server refused (SQLSTATE class 22: bad encoding, out of range, …): the
    /// statement's other values may be fine.
    var isDataException: Bool { sqlState?.hasPrefix("22") ?? false }

    /// A deadlock or a serialization failure: the statement was rolled back whole and may be
    /// sent again as it is.
    var isConflictRetry: Bool { sqlState == "40P01" || sqlState == "40001" }

    /// True for failures another try may not meet: a lost connection, a serialization failure,
    /// a deadlock, a server shutting down, a statement timeout.
    public var isTransient: Bool {
        if case .noAnswer = self { return true }
        guard case .database(let sqlState, _) = self else { return false }
        guard let sqlState else { return true }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("40") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57")
    }
}

extension PostgresStoreError: JobFailureConvertible {
    /// A database problem during a job is retried (as SQLite's busy database is); a broken
    /// invariant is not.
    public var jobFailure: JobFailure {
        switch self {
        case .database:
            JobFailure(message: description, errorClass: isTransient ? "database_unavailable" : "database", retryable: true)
        default:
            JobFailure(message: description, errorClass: "database", retryable: false)
        }
    }
}
