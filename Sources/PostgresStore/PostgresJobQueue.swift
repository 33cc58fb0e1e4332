import Foundation
import PostgresNIO
import Queue

/// The PostgreSQL driver of `JobQueue`, for ingest and worker replicas on several hosts.
/// - Leasing is one statement: a `FOR UPDATE SKIP LOCKED` CTE, `AS MATERIALIZED` so that its
///   `LIMIT` bounds the rows it locks, feeding `UPDATE … RETURNING` (and the attempts insert).
///   Concurrent workers skip each other's rows instead of waiting for them.
/// - Every due time, lease expiry and heartbeat is the database's `now()`: hosts' clocks differ.
///   (`QueueConfiguration.now` is not used here.)
/// - Every outcome write names the lease token (fencing): a worker that lost its lease changes nothing.
/// - Report dedupe is `INSERT … ON CONFLICT` on the partial unique index over active jobs, and
///   reports arriving together share one statement and one commit (group commit).
public struct PostgresJobQueue: JobQueue {
    public let backend: PostgresBackend
    public let configuration: QueueConfiguration
    /// Called after an enqueue commits (NOTIFY of waiting workers); nil for none.
    let wakeUp: (@Sendable () async -> Void)?
    /// Called after a job ended (NOTIFY of requests held by `?wait=`); nil for none.
    let jobEnded: (@Sendable () async -> Void)?
    /// Group commit of reports (`PostgresEnqueueWriter`), one per queue value and the copies
    /// made of it: `AGENT_DB`'s settings bound its batch size and the batches in flight.
    let enqueues: GroupCommit<NewJob, EnqueueResult>
    /// Group commit of successful outcomes (`PostgresCompletionWriter`), with the same bounds.
    let completions: GroupCommit<PostgresCompletionWriter.Completion, Bool>

    public init(backend: PostgresBackend, configuration: QueueConfiguration = QueueConfiguration(),
                wakeUp: (@Sendable () async -> Void)? = nil, jobEnded: (@Sendable () async -> Void)? = nil) {
        self.backend = backend
        self.configuration = configuration
        self.wakeUp = wakeUp
        self.jobEnded = jobEnded
        let settings = backend.settings
        // A batch's deadline, as one statement's: a batch written one by one (after a value the
        // server refused) may be cut short by it, failing the reports not yet written.
        let deadline = backend.statementDeadline
        let writer = PostgresEnqueueWriter(backend: backend, configuration: configuration, wakeUp: wakeUp)
        enqueues = GroupCommit(
            maxBatch: settings.enqueueBatchSize, maxInFlight: settings.enqueueBatchesInFlight, deadline: deadline,
            run: { reports in await writer.write(reports) })
        let completer = PostgresCompletionWriter(backend: backend, jobEnded: jobEnded)
        completions = GroupCommit(
            maxBatch: settings.enqueueBatchSize, maxInFlight: settings.enqueueBatchesInFlight, deadline: deadline,
            run: { completions in await completer.write(completions) })
    }

    /// Validates here, so that a bad report never joins a batch; writes through group commit.
    public func enqueue(_ newJob: NewJob) async throws -> EnqueueResult {
        try newJob.validate()
        return try await enqueues.submit(newJob)
    }

    /// Batches and reports written by `enqueue` so far (how much group commit shared).
    public func enqueueStatistics() async -> GroupCommitStatistics {
        await enqueues.statistics
    }

    /// Reports waiting for a batch slot right now.
    public func enqueuesWaiting() async -> Int {
        await enqueues.waitingCount
    }

    /// Batches and completions written by `complete` so far.
    public func completionStatistics() async -> GroupCommitStatistics {
        await completions.statistics
    }

    /// Completions waiting for a batch slot right now.
    public func completionsWaiting() async -> Int {
        await completions.waitingCount
    }

    public func lease(batch: Int, ttl: Duration, owner: String) async throws -> [LeasedJob] {
        guard batch > 0 else { return [] }
        let token = Int64.random(in: 1...Int64.max)
        let leased = try await backend.rows("""
            WITH candidates AS MATERIALIZED (
                SELECT id FROM jobs
                WHERE state = 'queued' AND run_after <= now()
                ORDER BY run_after, id
                LIMIT \(batch)
                FOR UPDATE SKIP LOCKED
            ), leased AS (
                UPDATE jobs SET state = 'running', lease_owner = \(owner), lease_token = \(token),
                                lease_expires_at = now() + \(ttl.wholeMilliseconds)::float8 * interval '1 millisecond',
                                attempts = jobs.attempts + 1, updated_at = now()
                FROM candidates WHERE jobs.id = candidates.id
                RETURNING \(unescaped: PostgresJobRow.columns)
            ), started AS (
                INSERT INTO attempts (job_id, attempt, worker)
                SELECT id, attempts, \(owner) FROM leased
                ON CONFLICT (job_id, attempt) DO UPDATE
                    SET worker = EXCLUDED.worker, started_at = now(), finished_at = NULL, outcome = NULL,
                        error_class = NULL, error = NULL, latency_ms = NULL
            )
            SELECT * FROM leased
            """, PostgresJobRow.leasedJob)
        return leased.sorted { ($0.job.runAfter, $0.job.id) < ($1.job.runAfter, $1.job.id) }
    }

    public func heartbeat(_ lease: Lease, ttl: Duration) async throws {
        let held = try await backend.first("""
            UPDATE jobs SET lease_expires_at = now() + \(ttl.wholeMilliseconds)::float8 * interval '1 millisecond'
            WHERE id = \(lease.jobID) AND lease_token = \(lease.token) AND state = 'running'
            RETURNING 1
            """) { _ in true }
        if held == nil { try await requireLease(lease) }
    }

    /// Through group commit: jobs finishing together share a statement and a commit.
    public func complete(_ lease: Lease, result: String?) async throws {
        let finished = try await completions.submit(PostgresCompletionWriter.Completion(lease: lease, result: result))
        if !finished { try await requireLease(lease) }
    }

    @discardableResult
    public func fail(_ lease: Lease, failure: JobFailure) async throws -> JobState {
        let delay = configuration.retryPolicy.delay(afterAttempt: lease.attempt, retryAfter: failure.retryAfter)
        let state = try await backend.first("""
            WITH failed AS (
                UPDATE jobs SET
                    state = CASE WHEN NOT \(failure.retryable) THEN 'failed' WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    finished_at = CASE WHEN NOT \(failure.retryable) OR attempts >= max_attempts THEN now() END,
                    run_after = now() + \(delay.wholeMilliseconds)::float8 * interval '1 millisecond',
                    last_error = \(failure.message), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                    updated_at = now()
                WHERE id = \(lease.jobID) AND lease_token = \(lease.token) AND state = 'running'
                RETURNING id, state
            ), attempt AS (
                \(unescaped: Self.finishAttempt)
                    outcome = CASE WHEN failed.state = 'queued' THEN 'retry' ELSE failed.state END,
                    error_class = \(failure.errorClass), error = \(failure.message)
                FROM failed WHERE attempts.job_id = failed.id AND attempts.attempt = \(lease.attempt)
            )
            SELECT state FROM failed
            """) { row in try row.value(0, as: String.self) }
        guard let state else { try await requireLease(lease) }
        let newState = JobState(rawValue: state) ?? .failed
        if !newState.isActive, let jobEnded { await jobEnded() }
        return newState
    }

    public func release(_ lease: Lease, delay: Duration) async throws {
        // Raising max_attempts instead of lowering attempts keeps attempt numbers unique.
        let released = try await backend.first("""
            WITH released AS (
                UPDATE jobs SET state = 'queued', run_after = now() + \(delay.wholeMilliseconds)::float8 * interval '1 millisecond',
                                max_attempts = max_attempts + 1, lease_owner = NULL, lease_token = NULL,
                                lease_expires_at = NULL, updated_at = now()
                WHERE id = \(lease.jobID) AND lease_token = \(lease.token) AND state = 'running'
                RETURNING id
            ), attempt AS (
                \(unescaped: Self.finishAttempt) outcome = 'released', error_class = NULL, error = NULL
                FROM released WHERE attempts.job_id = released.id AND attempts.attempt = \(lease.attempt)
            )
            SELECT id FROM released
            """) { _ in true }
        if released == nil { try await requireLease(lease) }
        else if delay == .zero, let wakeUp { await wakeUp() }
    }

    @discardableResult
    public func rescueExpiredLeases() async throws -> [Int64] {
        try await returnLeases(ofOwner: nil)
    }

    @discardableResult
    public func reclaimLeases(owner: String) async throws -> [Int64] {
        try await returnLeases(ofOwner: owner)
    }

    /// Returns running jobs to the queue (or to `dead` when out of attempts), ending their
    /// attempt as `lease_expired`, with the token cleared so that the old holder is fenced out.
    /// `ofOwner` nil: every expired lease (the rescuer), skipping rows another transaction has
    /// locked (they are seen next round). An owner: that owner's leases, expired or not (a
    /// restarted worker); `FOR UPDATE` without `SKIP LOCKED` waits for a concurrent rescuer
    /// or the old holder's last write instead of leaving the row behind, and the recheck
    /// after the wait drops a row that no longer runs under this owner.
    private func returnLeases(ofOwner owner: String?) async throws -> [Int64] {
        let (message, errorClass) = owner == nil
            ? (" expired (worker crashed or stalled)", "lease_expired")
            : (" reclaimed by its restarted worker", "reclaimed")
        let returned = try await backend.rows("""
            WITH chosen AS MATERIALIZED (
                SELECT id FROM jobs
                WHERE state = 'running'
                  AND (CASE WHEN \(owner)::text IS NULL THEN lease_expires_at < now() ELSE lease_owner = \(owner) END)
                \(unescaped: owner == nil ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE")
            ), returned AS (
                UPDATE jobs SET
                    state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
                    last_error = 'lease of ' || COALESCE(lease_owner, '?') || \(message),
                    run_after = now(), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
                FROM chosen WHERE jobs.id = chosen.id
                RETURNING jobs.id, jobs.attempts
            ), attempt AS (
                UPDATE attempts SET finished_at = now(), outcome = 'lease_expired', error_class = \(errorClass)
                FROM returned WHERE attempts.job_id = returned.id AND attempts.attempt = returned.attempts
                  AND attempts.finished_at IS NULL
            )
            SELECT id FROM returned
            """) { row in try row.value(0, as: Int64.self) }
        if !returned.isEmpty, let wakeUp { await wakeUp() }
        return returned.sorted()
    }

    /// The start of the attempts update every outcome makes (`FROM` and `WHERE` follow).
    static let finishAttempt = """
        UPDATE attempts SET finished_at = now(),
            latency_ms = (extract(epoch FROM now() - attempts.started_at) * 1000)::bigint,
        """

    /// Throws why a fenced write changed nothing: the job is gone or its lease is not this one.
    func requireLease(_ lease: Lease) async throws -> Never {
        guard let state = try await backend.first("SELECT state FROM jobs WHERE id = \(lease.jobID)", { row in
            try row.value(0, as: String.self)
        }) else {
            throw QueueError.notFound(jobID: lease.jobID)
        }
        throw QueueError.leaseLost(jobID: lease.jobID, state: JobState(rawValue: state) ?? .failed)
    }
}
