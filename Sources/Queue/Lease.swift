import Foundation

/// Proof that a worker owns a running job. Every write about the job's outcome carries it;
/// the queue refuses it once the job has been rescued, cancelled or leased again (fencing).
public struct Lease: Sendable, Equatable, Hashable {
    public let jobID: Int64
    public let token: Int64
    /// The attempt this lease runs (1-based), for the attempts table and transcripts.
    public let attempt: Int
    public let owner: String

    public init(jobID: Int64, token: Int64, attempt: Int, owner: String) {
        self.jobID = jobID
        self.token = token
        self.attempt = attempt
        self.owner = owner
    }
}

/// A job handed to a worker, with the lease that lets it report the outcome.
public struct LeasedJob: Sendable, Equatable {
    public let job: Job
    public let lease: Lease

    public init(job: Job, lease: Lease) {
        self.job = job
        self.lease = lease
    }
}

/// Why an attempt failed, as the worker classified it.
public struct JobFailure: Sendable, Equatable {
    public var message: String
    /// A short machine-readable class, e.g. `timeout`, `http_429`, `unknown_pod`.
    public var errorClass: String
    public var retryable: Bool
    /// The server asked to wait at least this long (HTTP `Retry-After`).
    public var retryAfter: Duration?

    public init(message: String, errorClass: String, retryable: Bool, retryAfter: Duration? = nil) {
        self.message = message
        self.errorClass = errorClass
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}

/// What `enqueue` did with a report.
public struct EnqueueResult: Sendable, Equatable {
    public let job: Job
    /// The report joined an existing job (active, or finished within the dedupe window).
    public let duplicate: Bool

    public init(job: Job, duplicate: Bool) {
        self.job = job
        self.duplicate = duplicate
    }
}
