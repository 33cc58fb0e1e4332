import Foundation
import Store

/// The SQLite driver of `JobQueue`. Every operation is one short write transaction on the
/// shared `Database`, so concurrent callers share commits (group commit), and several
/// processes may use the same file: `BEGIN IMMEDIATE` serializes them.
public struct SQLiteJobQueue: JobQueue {
    public let database: Database
    public let configuration: QueueConfiguration
    /// Told after a job of this process ended (`ended`); other processes' ends show in the
    /// file's data version (`SQLiteJobEnds`).
    public let jobEnds: JobEndAnnouncer
    /// Told after a job was enqueued by this process: the wake-ups of its workers.
    public let arrivals: JobArrivals

    public init(database: Database, configuration: QueueConfiguration = QueueConfiguration(),
                jobEnds: JobEndAnnouncer = JobEndAnnouncer(), arrivals: JobArrivals = JobArrivals()) {
        self.database = database
        self.configuration = configuration
        self.jobEnds = jobEnds
        self.arrivals = arrivals
    }

    private var nowMilliseconds: Int64 { configuration.now().epochMilliseconds }

    public func enqueue(_ newJob: NewJob) async throws -> EnqueueResult {
        try newJob.validate()
        let now = nowMilliseconds
        let windowStart = now - configuration.dedupeWindow.milliseconds
        let maxAttempts = newJob.maxAttempts ?? configuration.retryPolicy.maxAttempts
        let result = try await database.write { db in
            let key: [any SQLBindable] = [newJob.namespace, newJob.pod, newJob.container ?? ""]
            if let existing = try db.queryFirst(JobSQL.findReport, key + [windowStart], { $0.optionalInt64(0) }) ?? nil {
                let job = try db.queryFirst(JobSQL.countReport, [now, existing], JobRow.job)!
                try JobCounts.add(db, jobs: 0, reports: 1, in: job.state)
                return EnqueueResult(job: job, duplicate: true)
            }
            try db.execute(JobSQL.insert, key + [newJob.pipelineRun, newJob.task, newJob.source.rawValue, maxAttempts, now, now, now])
            try JobCounts.add(db, jobs: 1, reports: 1, in: .queued)
            // Built from what was inserted: decoding a RETURNING row costs more on the hot path.
            let created = JobRow.date(now)
            let job = Job(
                id: db.lastInsertRowID, namespace: newJob.namespace, pod: newJob.pod, container: newJob.container,
                pipelineRun: newJob.pipelineRun, task: newJob.task, source: newJob.source, state: .queued, attempts: 0,
                maxAttempts: maxAttempts, runAfter: created, leaseOwner: nil, leaseExpiresAt: nil, lastError: nil,
                result: nil, fingerprint: nil, groupID: nil, reportCount: 1, createdAt: created, updatedAt: created,
                finishedAt: nil)
            return EnqueueResult(job: job, duplicate: false)
        }
        if !result.duplicate { arrivals.announce() }
        return result
    }

    public func lease(batch: Int, ttl: Duration, owner: String) async throws -> [LeasedJob] {
        guard batch > 0 else { return [] }
        let now = nowMilliseconds
        let token = Int64.random(in: 1...Int64.max)
        return try await database.write { db in
            let leased = try db.query(
                JobSQL.lease, [owner, token, now + ttl.milliseconds, now, now, batch], JobRow.leasedJob)
            for job in leased {
                try db.execute(JobSQL.startAttempt, [job.lease.jobID, job.lease.attempt, owner, now])
            }
            try JobCounts.move(db, jobs: leased.count, reports: leased.reduce(0) { $0 + $1.job.reportCount }, from: .queued, to: .running)
            return leased.sorted { ($0.job.runAfter, $0.job.id) < ($1.job.runAfter, $1.job.id) }
        }
    }

    public func heartbeat(_ lease: Lease, ttl: Duration) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            try db.execute(JobSQL.heartbeat, [now + ttl.milliseconds, lease.jobID, lease.token])
            try Self.requireLease(db, lease)
        }
    }

    public func complete(_ lease: Lease, result: String?) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            try db.execute(JobSQL.complete, [result, now, now, lease.jobID, lease.token])
            try Self.requireLease(db, lease)
            try JobCounts.move(db, jobID: lease.jobID, from: .running, to: .succeeded)
            try Self.finishAttempt(db, lease, outcome: "succeeded", at: now)
        }
        jobEnds.announce()
    }

    @discardableResult
    public func fail(_ lease: Lease, failure: JobFailure) async throws -> JobState {
        let now = nowMilliseconds
        let delay = configuration.retryPolicy.delay(afterAttempt: lease.attempt, retryAfter: failure.retryAfter)
        let state = try await database.write { db -> JobState in
            let row = try db.queryFirst("""
                UPDATE jobs SET
                    state = CASE WHEN ?1 = 0 THEN 'failed' WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    finished_at = CASE WHEN ?1 = 0 OR attempts >= max_attempts THEN ?4 END,
                    run_after = ?2, last_error = ?3, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                    updated_at = ?4
                WHERE id = ?5 AND lease_token = ?6 AND state = 'running'
                RETURNING state, report_count
                """, [failure.retryable, now + delay.milliseconds, failure.message, now, lease.jobID, lease.token]) {
                (JobState(rawValue: $0.string(0)) ?? .failed, $0.int(1))
            }
            guard let (state, reports) = row else { try Self.requireLease(db, lease); return .failed }
            try JobCounts.move(db, reports: reports, from: .running, to: state)
            let outcome = state == .queued ? "retry" : state.rawValue
            try Self.finishAttempt(db, lease, outcome: outcome, at: now, errorClass: failure.errorClass, error: failure.message)
            return state
        }
        if !state.isActive { jobEnds.announce() }
        return state
    }

    public func release(_ lease: Lease, delay: Duration) async throws {
        let now = nowMilliseconds
        try await database.write { db in
            // Raising max_attempts instead of lowering attempts keeps attempt numbers unique.
            try db.execute("""
                UPDATE jobs SET state = 'queued', run_after = ?, max_attempts = max_attempts + 1,
                                lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE id = ? AND lease_token = ? AND state = 'running'
                """, [now + delay.milliseconds, now, lease.jobID, lease.token])
            try Self.requireLease(db, lease)
            try JobCounts.move(db, jobID: lease.jobID, from: .running, to: .queued)
            try Self.finishAttempt(db, lease, outcome: "released", at: now)
        }
    }

    @discardableResult
    public func rescueExpiredLeases() async throws -> [Int64] {
        let now = nowMilliseconds
        return try await returnLeases(
            where: "lease_expires_at < ?", now.sqlValue, reason: "' expired (worker crashed or stalled)'",
            errorClass: "lease_expired", at: now)
    }

    @discardableResult
    public func reclaimLeases(owner: String) async throws -> [Int64] {
        try await returnLeases(
            where: "lease_owner = ?", owner.sqlValue, reason: "' reclaimed by its restarted worker'",
            errorClass: "reclaimed", at: nowMilliseconds)
    }

    /// Returns the running jobs `condition` selects to the queue (`dead` when out of attempts),
    /// ending their open attempt as `lease_expired` with `errorClass`. Clearing the lease token
    /// fences the old holder out. `condition` binds `argument`; `reason` is an SQL string literal
    /// appended to the last error.
    private func returnLeases(where condition: String, _ argument: SQLValue, reason: String,
                              errorClass: String, at now: Int64) async throws -> [Int64] {
        let (returned, anyDied) = try await database.write { db in
            let rescued = try db.query("""
                UPDATE jobs SET
                    state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    finished_at = CASE WHEN attempts >= max_attempts THEN ? END,
                    last_error = 'lease of ' || COALESCE(lease_owner, '?') || \(reason),
                    run_after = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
                WHERE state = 'running' AND \(condition)
                RETURNING id, attempts, state, report_count
                """, [now, now, now, argument]) { ($0.int64(0), $0.int(1), $0.string(2), $0.int(3)) }
            try JobCounts.move(db, from: .running, rows: rescued.map { (JobState(rawValue: $0.2) ?? .queued, $0.3) })
            for (id, attempt, _, _) in rescued {
                try db.execute("""
                    UPDATE attempts SET finished_at = ?, outcome = 'lease_expired', error_class = ?
                    WHERE job_id = ? AND attempt = ? AND finished_at IS NULL
                    """, [now, errorClass, id, attempt])
            }
            return (rescued.map(\.0).sorted(), rescued.contains { $0.2 == JobState.dead.rawValue })
        }
        if anyDied { jobEnds.announce() }
        return returned
    }

    /// Throws when the statement just run changed nothing because the lease is not held.
    static func requireLease(_ db: Connection, _ lease: Lease) throws {
        guard db.changes == 0 else { return }
        guard let state = try db.queryFirst("SELECT state FROM jobs WHERE id = ?", [lease.jobID], { $0.string(0) }) else {
            throw QueueError.notFound(jobID: lease.jobID)
        }
        throw QueueError.leaseLost(jobID: lease.jobID, state: JobState(rawValue: state) ?? .failed)
    }

    static func finishAttempt(_ db: Connection, _ lease: Lease, outcome: String, at now: Int64, errorClass: String? = nil, error: String? = nil) throws {
        try db.execute(JobSQL.finishAttempt, [now, outcome, errorClass, error, now, lease.jobID, lease.attempt])
    }
}
