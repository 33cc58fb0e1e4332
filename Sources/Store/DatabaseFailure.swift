/// An error of the database itself, SQLite's or PostgreSQL's, as opposed to a refusal by the
/// queue's rules (`QueueError`). Ingest answers it 503 with `Retry-After`: the report was not
/// stored and the reporter's retry is what keeps it. A worker writing an outcome repeats the
/// write while the failure is transient.
public protocol DatabaseFailure: Error, CustomStringConvertible {
    /// The same statement may succeed later: busy, unreachable, full, a deadlock.
    var isTransient: Bool { get }
}
