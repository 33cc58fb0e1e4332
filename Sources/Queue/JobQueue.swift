import Foundation

/// A durable job queue. The SQLite driver is `SQLiteJobQueue`; other databases implement the
/// same contract:
/// - at most one active (queued/running) job per (namespace, pod, container), and a report of a
///   pod whose job finished within the dedupe window joins that job;
/// - a job is leased by one worker at a time; outcome writes with a stale lease are refused;
/// - expired leases return to the queue (`rescueExpiredLeases`), and a restarted worker's own
///   leases at once (`reclaimLeases`); nothing is dropped silently.
public protocol JobQueue: Sendable {
    func enqueue(_ job: NewJob) async throws -> EnqueueResult

    /// Leases up to `batch` jobs that are due, oldest `run_after` first.
    func lease(batch: Int, ttl: Duration, owner: String) async throws -> [LeasedJob]
    /// Extends a lease; throws `QueueError.leaseLost` when it is no longer held.
    func heartbeat(_ lease: Lease, ttl: Duration) async throws
    func complete(_ lease: Lease, result: String?) async throws
    /// Records a failed attempt; returns the job's new state (`queued` for a retry, `failed`, `dead`).
    @discardableResult
    func fail(_ lease: Lease, failure: JobFailure) async throws -> JobState
    /// Gives a leased job back without using up an attempt (graceful shutdown; waiting for
    /// another job), due again after `delay`.
    func release(_ lease: Lease, delay: Duration) async throws
    /// Returns running jobs whose lease expired to the queue (or to `dead` when out of attempts).
    @discardableResult
    func rescueExpiredLeases() async throws -> [Int64]
    /// Returns every running job leased by `owner` to the queue (or to `dead` when out of
    /// attempts) without waiting for the lease to expire; the attempt ends as `lease_expired`
    /// with error class `reclaimed`, and the old lease token is refused afterwards. A worker
    /// calls it with its own identity as it starts: a process with that identity that is
    /// starting cannot be the one holding them (so two live workers must never share one).
    @discardableResult
    func reclaimLeases(owner: String) async throws -> [Int64]

    func cancel(id: Int64) async throws -> Job
    /// Sends a failed, dead or cancelled job back to the queue with a fresh attempt budget.
    func retry(id: Int64) async throws -> Job
    /// Sends a succeeded job back to be analysed again (`agentctl jobs rerun`), marked as a
    /// re-run, with a fresh attempt budget; refused while another job of the pod is active.
    func rerun(id: Int64) async throws -> Job
    /// Retries every dead job; returns their ids.
    func retryAllDead() async throws -> [Int64]

    func job(id: Int64) async throws -> Job?
    /// The job's tries, oldest first.
    func attempts(jobID: Int64) async throws -> [AttemptRecord]
    func list(_ filter: JobFilter) async throws -> JobPage
    func stats() async throws -> QueueStats
    /// Jobs created, and jobs finished by end state, since `since` (the web UI's rates).
    func activity(since: Date) async throws -> QueueActivity
}

extension JobQueue {
    public func release(_ lease: Lease) async throws { try await release(lease, delay: .zero) }
}

/// Which jobs `list` returns: newest first, `limit` at a time; pass `nextCursor` back as `before`.
public struct JobFilter: Sendable, Equatable {
    public var state: JobState?
    public var namespace: String?
    public var limit: Int
    public var before: Int64?
    /// A substring of the pod, container, PipelineRun, task, last error or fingerprint (the
    /// web UI's search box), ignoring case (SQLite: of ASCII letters only); taken literally,
    /// no wildcards.
    public var text: String?
    /// Jobs of one failure group (its occurrences).
    public var groupID: Int64?

    public init(state: JobState? = nil, namespace: String? = nil, limit: Int = 50, before: Int64? = nil, text: String? = nil,
                groupID: Int64? = nil) {
        self.state = state
        self.namespace = namespace
        self.limit = limit
        self.before = before
        self.text = text
        self.groupID = groupID
    }
}

/// What happened in a window of time: how fast reports arrive and jobs finish.
public struct QueueActivity: Sendable, Equatable {
    public let since: Date
    /// Jobs created since `since` (a report that joined an existing job is not counted).
    public let created: Int
    /// Jobs that reached an end state since `since`, by that state.
    public let finished: [JobState: Int]

    public init(since: Date, created: Int, finished: [JobState: Int]) {
        self.since = since
        self.created = created
        self.finished = finished
    }
}

public struct JobPage: Sendable, Equatable {
    public let jobs: [Job]
    /// Set when more jobs may follow.
    public let nextCursor: Int64?

    public init(jobs: [Job], nextCursor: Int64?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

public struct QueueStats: Sendable, Equatable {
    public let counts: [JobState: Int]
    /// When the oldest queued job was created (how far behind the workers are).
    public let oldestQueuedAt: Date?
    public let totalReports: Int

    public init(counts: [JobState: Int], oldestQueuedAt: Date?, totalReports: Int) {
        self.counts = counts
        self.oldestQueuedAt = oldestQueuedAt
        self.totalReports = totalReports
    }

    public var total: Int { counts.values.reduce(0, +) }
    public var queueDepth: Int { counts[.queued] ?? 0 }
}

/// One try of a job, from the attempts table.
public struct AttemptRecord: Sendable, Equatable, Codable {
    public var attempt: Int
    public var worker: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// `succeeded`, `retry`, `failed`, `dead`, `released`, `lease_expired` (error class
    /// `lease_expired`, or `reclaimed` when its worker restarted); `nil` while running.
    public var outcome: String?
    public var errorClass: String?
    public var error: String?
    public var latencyMilliseconds: Int64?

    public init(attempt: Int, worker: String, startedAt: Date, finishedAt: Date?, outcome: String?, errorClass: String?,
                error: String?, latencyMilliseconds: Int64?) {
        self.attempt = attempt
        self.worker = worker
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.errorClass = errorClass
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case attempt, worker, outcome, error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case errorClass = "error_class"
        case latencyMilliseconds = "latency_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(attempt, forKey: .attempt)
        try c.encode(worker, forKey: .worker)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(errorClass, forKey: .errorClass)
        try c.encode(error, forKey: .error)
        try c.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
    }
}
