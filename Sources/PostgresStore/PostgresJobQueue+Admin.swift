import Foundation
import PostgresNIO
import Queue

// Operator actions and read-only views.
extension PostgresJobQueue {
    public func cancel(id: Int64) async throws -> Job {
        let cancelled = try await backend.transaction { tx in
            let job = try await Self.lockJob(tx, id)
            guard job.state.isActive else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "cancel") }
            // A running job's worker loses its lease: its late result is refused.
            if job.state == .running {
                try await tx.execute("""
                    UPDATE attempts SET finished_at = now(), outcome = 'failed', error_class = 'cancelled'
                    WHERE job_id = \(id) AND attempt = \(job.attempts) AND finished_at IS NULL
                    """)
            }
            guard let cancelled = try await tx.first("""
                UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                                finished_at = now(), updated_at = now()
                WHERE id = \(id) RETURNING \(unescaped: PostgresJobRow.columns)
                """, PostgresJobRow.job) else { throw QueueError.notFound(jobID: id) }
            return cancelled
        }
        if let jobEnded { await jobEnded() }
        return cancelled
    }

    public func retry(id: Int64) async throws -> Job {
        let budget = configuration.retryPolicy.maxAttempts
        let job = try await backend.transaction { tx in try await Self.retry(tx, id: id, budget: budget) }
        if let wakeUp { await wakeUp() }
        return job
    }

    public func retryAllDead() async throws -> [Int64] {
        let budget = configuration.retryPolicy.maxAttempts
        let retried = try await backend.transaction { tx in
            let ids = try await tx.rows("SELECT id FROM jobs WHERE state = 'dead' ORDER BY id FOR UPDATE") { row in
                try row.value(0, as: Int64.self)
            }
            var retried: [Int64] = []
            for id in ids {
                do {
                    _ = try await Self.retry(tx, id: id, budget: budget)
                    retried.append(id)
                } catch QueueError.conflict {
                    // A newer job already covers this pod; the dead one stays for the record.
                    continue
                }
            }
            return retried
        }
        if !retried.isEmpty, let wakeUp { await wakeUp() }
        return retried
    }

    /// Like a retry, for a succeeded job; `rerun` names the re-run's first attempt (see `Job.rerunAttempt`).
    /// The active-report index refuses a report of the pod that slips past the check.
    public func rerun(id: Int64) async throws -> Job {
        let budget = configuration.retryPolicy.maxAttempts
        let job = try await backend.transaction { tx in
            let job = try await Self.lockJob(tx, id)
            guard job.state == .succeeded else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "rerun") }
            try await Self.refuseActive(tx, job)
            guard let rerun = try await tx.first("""
                UPDATE jobs SET state = 'queued', max_attempts = attempts + \(budget), run_after = now(), finished_at = NULL,
                                rerun = attempts + 1, updated_at = now()
                WHERE id = \(id) RETURNING \(unescaped: PostgresJobRow.columns)
                """, PostgresJobRow.job) else { throw QueueError.notFound(jobID: id) }
            return rerun
        }
        if let wakeUp { await wakeUp() }
        return job
    }

    /// Another job of the same pod is active: it covers the pod.
    private static func refuseActive(_ tx: PostgresBackend.Transaction, _ job: Job) async throws {
        if let active = try await tx.first("""
            SELECT id FROM jobs WHERE namespace = \(job.namespace) AND pod = \(job.pod) AND container = \(job.container ?? "")
              AND finished_at IS NULL
            """, { row in try row.value(0, as: Int64.self) }) {
            throw QueueError.conflict(jobID: job.id, activeJobID: active)
        }
    }

    /// A fresh budget of attempts; attempt numbers keep counting so earlier transcripts stay apart.
    /// The active-report index makes a concurrent report of the pod and this retry exclusive:
    /// the conflict is found before the update, and the index refuses what slips past.
    private static func retry(_ tx: PostgresBackend.Transaction, id: Int64, budget: Int) async throws -> Job {
        let job = try await lockJob(tx, id)
        guard job.state.isRetryable else { throw QueueError.invalidTransition(jobID: id, from: job.state, action: "retry") }
        try await refuseActive(tx, job)
        guard let retried = try await tx.first("""
            UPDATE jobs SET state = 'queued', max_attempts = attempts + \(budget), run_after = now(), finished_at = NULL,
                            updated_at = now()
            WHERE id = \(id) RETURNING \(unescaped: PostgresJobRow.columns)
            """, PostgresJobRow.job) else { throw QueueError.notFound(jobID: id) }
        return retried
    }

    private static func lockJob(_ tx: PostgresBackend.Transaction, _ id: Int64) async throws -> Job {
        guard let job = try await tx.first(
            "SELECT \(unescaped: PostgresJobRow.columns) FROM jobs WHERE id = \(id) FOR UPDATE", PostgresJobRow.job) else {
            throw QueueError.notFound(jobID: id)
        }
        return job
    }

    public func job(id: Int64) async throws -> Job? {
        try await backend.first("SELECT \(unescaped: PostgresJobRow.columns) FROM jobs WHERE id = \(id)", PostgresJobRow.job)
    }

    public func attempts(jobID: Int64) async throws -> [AttemptRecord] {
        try await backend.rows("""
            SELECT attempt, worker, started_at, finished_at, outcome, error_class, error, latency_ms
            FROM attempts WHERE job_id = \(jobID) ORDER BY attempt
            """) { row in
            AttemptRecord(
                attempt: try row.value(0), worker: try row.value(1), startedAt: try row.value(2), finishedAt: try row.value(3),
                outcome: try row.value(4), errorClass: try row.value(5), error: try row.value(6),
                latencyMilliseconds: try row.value(7))
        }
    }

    public func list(_ filter: JobFilter) async throws -> JobPage {
        guard (1...1000).contains(filter.limit) else {
            throw QueueError.invalidInput(field: "limit", message: "must be between 1 and 1000")
        }
        // strpos, not LIKE: the text is taken literally (no % or _ wildcards).
        let text = filter.text.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        // NULL filters match everything: one statement text, every value bound.
        let jobs = try await backend.rows("""
            SELECT \(unescaped: PostgresJobRow.columns) FROM jobs
            WHERE (\(filter.state?.rawValue)::text IS NULL OR state = \(filter.state?.rawValue))
              AND (\(filter.namespace)::text IS NULL OR namespace = \(filter.namespace))
              AND (\(filter.before)::bigint IS NULL OR id < \(filter.before))
              AND (\(filter.groupID)::bigint IS NULL OR group_id = \(filter.groupID))
              AND (\(text)::text IS NULL OR strpos(lower(pod), \(text)) > 0 OR strpos(lower(container), \(text)) > 0
                   OR strpos(lower(COALESCE(pipeline_run, '')), \(text)) > 0 OR strpos(lower(COALESCE(task, '')), \(text)) > 0
                   OR strpos(lower(COALESCE(last_error, '')), \(text)) > 0
                   OR strpos(lower(COALESCE(fingerprint, '')), \(text)) > 0)
            ORDER BY id DESC LIMIT \(filter.limit + 1)
            """, PostgresJobRow.job)
        // One extra row tells whether another page follows.
        let page = Array(jobs.prefix(filter.limit))
        return JobPage(jobs: page, nextCursor: jobs.count > filter.limit ? page.last?.id : nil)
    }

    public func stats() async throws -> QueueStats {
        var counts: [JobState: Int] = [:]
        for (state, count) in try await backend.rows("SELECT state, COUNT(*) FROM jobs GROUP BY state", { row in
            (try row.value(0, as: String.self), try row.value(1, as: Int.self))
        }) {
            if let state = JobState(rawValue: state) { counts[state] = count }
        }
        let summary = try await backend.first("""
            SELECT (SELECT MIN(created_at) FROM jobs WHERE state = 'queued'), COALESCE(SUM(report_count), 0)::bigint FROM jobs
            """) { row in (try row.value(0, as: Date?.self), try row.value(1, as: Int.self)) }
        return QueueStats(counts: counts, oldestQueuedAt: summary?.0 ?? nil, totalReports: summary?.1 ?? 0)
    }

    public func activity(since: Date) async throws -> QueueActivity {
        let created = try await backend.first(
            "SELECT COUNT(*)::bigint FROM jobs WHERE created_at >= \(since)") { row in try row.value(0, as: Int.self) } ?? 0
        var finished: [JobState: Int] = [:]
        for (state, count) in try await backend.rows("""
            SELECT state, COUNT(*)::bigint FROM jobs WHERE finished_at IS NOT NULL AND finished_at >= \(since) GROUP BY state
            """, { row in (try row.value(0, as: String.self), try row.value(1, as: Int.self)) }) {
            if let state = JobState(rawValue: state) { finished[state] = count }
        }
        return QueueActivity(since: since, created: created, finished: finished)
    }
}
