import Foundation
import Store

// Operator actions and read-only views.
extension SQLiteJobQueue {
    public func cancel(id: Int64) async throws -> Job {
        let now = configuration.now().epochMilliseconds
        let cancelled = try await database.write { db in
            let job = try Self.requireJob(db, id)
            guard job.state.isActive else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "cancel") }
            // A running job's worker loses its lease: its late result is refused.
            if job.state == .running {
                try db.execute("""
                    UPDATE attempts SET finished_at = ?, outcome = 'failed', error_class = 'cancelled'
                    WHERE job_id = ? AND attempt = ? AND finished_at IS NULL
                    """, [now, id, job.attempts])
            }
            let cancelled = try db.queryFirst("""
                UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                                finished_at = ?, updated_at = ?
                WHERE id = ? RETURNING \(JobRow.columns)
                """, [now, now, id], JobRow.job)!
            try JobCounts.move(db, reports: cancelled.reportCount, from: job.state, to: .cancelled)
            return cancelled
        }
        jobEnds.announce()
        return cancelled
    }

    public func retry(id: Int64) async throws -> Job {
        let now = configuration.now().epochMilliseconds
        let budget = configuration.retryPolicy.maxAttempts
        return try await database.write { db in try Self.retry(db, id: id, now: now, budget: budget) }
    }

    public func retryAllDead() async throws -> [Int64] {
        let now = configuration.now().epochMilliseconds
        let budget = configuration.retryPolicy.maxAttempts
        return try await database.write { db in
            let ids = try db.query("SELECT id FROM jobs WHERE state = 'dead' ORDER BY id") { $0.int64(0) }
            var retried: [Int64] = []
            for id in ids {
                do {
                    _ = try db.savepoint { try Self.retry(db, id: id, now: now, budget: budget) }
                    retried.append(id)
                } catch QueueError.conflict {
                    // A newer job already covers this pod; the dead one stays for the record.
                    continue
                }
            }
            return retried
        }
    }

    /// Like a retry, for a succeeded job; `rerun` names the re-run's first attempt (see `Job.rerunAttempt`).
    public func rerun(id: Int64) async throws -> Job {
        let now = configuration.now().epochMilliseconds
        let budget = configuration.retryPolicy.maxAttempts
        return try await database.write { db in
            let job = try Self.requireJob(db, id)
            guard job.state == .succeeded else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "rerun") }
            try Self.refuseActive(db, job)
            let queued = try db.queryFirst("""
                UPDATE jobs SET state = 'queued', max_attempts = attempts + ?, run_after = ?, finished_at = NULL,
                                rerun = attempts + 1, updated_at = ?
                WHERE id = ? RETURNING \(JobRow.columns)
                """, [budget, now, now, id], JobRow.job)!
            try JobCounts.move(db, reports: queued.reportCount, from: job.state, to: .queued)
            return queued
        }
    }

    /// Another job of the same pod is queued or running: it covers the pod.
    private static func refuseActive(_ db: Connection, _ job: Job) throws {
        if let active = try db.queryFirst("""
            SELECT id FROM jobs WHERE namespace = ? AND pod = ? AND container = ? AND state IN ('queued', 'running')
            """, [job.namespace, job.pod, job.container ?? ""], { $0.int64(0) }) {
            throw QueueError.conflict(jobID: job.id, activeJobID: active)
        }
    }

    /// A fresh budget of attempts; attempt numbers keep counting so earlier transcripts stay apart.
    private static func retry(_ db: Connection, id: Int64, now: Int64, budget: Int) throws -> Job {
        let job = try requireJob(db, id)
        guard job.state.isRetryable else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "retry") }
        try refuseActive(db, job)
        let queued = try db.queryFirst("""
            UPDATE jobs SET state = 'queued', max_attempts = attempts + ?, run_after = ?, finished_at = NULL,
                            updated_at = ?
            WHERE id = ? RETURNING \(JobRow.columns)
            """, [budget, now, now, id], JobRow.job)!
        try JobCounts.move(db, reports: queued.reportCount, from: job.state, to: .queued)
        return queued
    }

    private static func requireJob(_ db: Connection, _ id: Int64) throws -> Job {
        guard let job = try db.queryFirst(JobSQL.selectJob, [id], JobRow.job) else {
            throw QueueError.notFound(jobID: id)
        }
        return job
    }

    public func job(id: Int64) async throws -> Job? {
        try await database.read { db in
            try db.queryFirst(JobSQL.selectJob, [id], JobRow.job)
        }
    }

    public func attempts(jobID: Int64) async throws -> [AttemptRecord] {
        try await database.read { db in
            try db.query("""
                SELECT attempt, worker, started_at, finished_at, outcome, error_class, error, latency_ms
                FROM attempts WHERE job_id = ? ORDER BY attempt
                """, [jobID]) {
                AttemptRecord(
                    attempt: $0.int(0), worker: $0.string(1), startedAt: JobRow.date($0.int64(2)),
                    finishedAt: $0.optionalInt64(3).map(JobRow.date), outcome: $0.optionalString(4),
                    errorClass: $0.optionalString(5), error: $0.optionalString(6), latencyMilliseconds: $0.optionalInt64(7))
            }
        }
    }

    public func list(_ filter: JobFilter) async throws -> JobPage {
        guard (1...1000).contains(filter.limit) else {
            throw QueueError.invalidInput(field: "limit", message: "must be between 1 and 1000")
        }
        let (sql, values) = Self.listStatement(filter)
        return try await database.read { db in
            let jobs = try db.query(sql, values, JobRow.job)
            let page = Array(jobs.prefix(filter.limit))
            return JobPage(jobs: page, nextCursor: jobs.count > filter.limit ? page.last?.id : nil)
        }
    }

    /// The statement of `list`: newest first, one row more than the page (it tells whether
    /// another page follows).
    static func listStatement(_ filter: JobFilter) -> (sql: String, values: [SQLValue]) {
        var conditions: [String] = []
        var values: [any SQLBindable] = []
        // A literal (the enum's own spelling), not a parameter: SQLite uses a partial index
        // (jobs_queued, jobs_dead, …) only when the statement names its state.
        if let state = filter.state { conditions.append("state = '\(state.rawValue)'") }
        if let namespace = filter.namespace { conditions.append("namespace = ?"); values.append(namespace) }
        if let before = filter.before { conditions.append("id < ?"); values.append(before) }
        if let group = filter.groupID { conditions.append("group_id = ?"); values.append(group) }
        if let text = filter.text?.lowercased(), !text.isEmpty {
            // instr, not LIKE: the text is taken literally (no % or _ wildcards).
            let columns = ["pod", "container", "pipeline_run", "task", "last_error", "fingerprint"]
            conditions.append("(" + columns.map { "instr(lower(COALESCE(\($0), '')), ?) > 0" }.joined(separator: " OR ") + ")")
            values.append(contentsOf: Array(repeating: text, count: columns.count))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return ("SELECT \(JobRow.columns) FROM jobs \(whereClause) ORDER BY id DESC LIMIT ?",
                (values + [filter.limit + 1]).map(\.sqlValue))
    }

    /// Counts from `job_counts` (kept by the queue's writes, `JobCounts`) and the oldest queued job by
    /// `jobs_queued`: a few index lookups however many rows the table holds, so a scrape of
    /// `/metrics` never holds the database thread for a table scan.
    public func stats() async throws -> QueueStats {
        try await database.read { db in
            var counts: [JobState: Int] = [:]
            var reports = 0
            for (state, jobs, stateReports) in try db.query(JobSQL.counts, [], {
                ($0.string(0), $0.int(1), $0.int(2))
            }) {
                reports += stateReports
                if let state = JobState(rawValue: state), jobs > 0 { counts[state] = jobs }
            }
            let oldest = try db.queryFirst(JobSQL.oldestQueued) { $0.int64(0) }
            return QueueStats(counts: counts, oldestQueuedAt: oldest.map(JobRow.date), totalReports: reports)
        }
    }

    public func activity(since: Date) async throws -> QueueActivity {
        let from = since.epochMilliseconds
        return try await database.read { db in
            let created = try db.queryFirst("SELECT COUNT(*) FROM jobs WHERE created_at >= ?", [from]) { $0.int(0) } ?? 0
            var finished: [JobState: Int] = [:]
            // The partial index jobs_finished answers this without a table scan.
            for (state, count) in try db.query(
                "SELECT state, COUNT(*) FROM jobs WHERE finished_at IS NOT NULL AND finished_at >= ? GROUP BY state", [from],
                { ($0.string(0), $0.int(1)) }) {
                if let state = JobState(rawValue: state) { finished[state] = count }
            }
            return QueueActivity(since: since, created: created, finished: finished)
        }
    }
}
