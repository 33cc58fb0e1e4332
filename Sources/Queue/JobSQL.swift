/// The hot-path statements of the SQLite driver, built once (the statement cache is keyed by
/// the SQL text).
enum JobSQL {
    /// The active job of a report key, or else the latest one that succeeded within the window.
    /// A failed, dead or cancelled job does not absorb a new report: the report is analysed
    /// again (the failure may have been a peer outage, and that pod may be a new run's).
    /// Two lookups of `jobs_report` (key + active, whose last column is the rowid): the active
    /// job is unique, and the finished ones come newest first from the index, so no temporary
    /// b-tree sorts the candidates on every enqueue. `active = 1` is `state IN ('queued',
    /// 'running')` (the table's CHECK ties both to `finished_at`).
    static let findReport = """
        SELECT COALESCE(
            (SELECT id FROM jobs WHERE namespace = ?1 AND pod = ?2 AND container = ?3 AND active = 1),
            (SELECT id FROM jobs WHERE namespace = ?1 AND pod = ?2 AND container = ?3 AND active IS NULL
                                   AND state = 'succeeded' AND finished_at >= ?4
             ORDER BY id DESC LIMIT 1))
        """

    static let countReport = """
        UPDATE jobs SET report_count = report_count + 1, updated_at = ?
        WHERE id = ? RETURNING \(JobRow.columns)
        """

    static let insert = """
        INSERT INTO jobs (namespace, pod, container, pipeline_run, task, source, max_attempts,
                          run_after, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The due jobs come from `jobs_ready` in its order: LIMIT rows read, whatever the backlog.
    /// Left to itself, the planner (no ANALYZE statistics) preferred the equality on `jobs_state`,
    /// then reads and sorts every queued row on each lease, so leasing slowed in proportion to
    /// the backlog (p50 240 ms with 100k queued). INDEXED BY makes that plan impossible: the
    /// statement fails to prepare if the index cannot serve it.
    static let lease = """
        UPDATE jobs SET state = 'running', lease_owner = ?, lease_token = ?, lease_expires_at = ?,
                        attempts = attempts + 1, updated_at = ?
        WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_ready WHERE state = 'queued' AND run_after <= ?
                     ORDER BY run_after, id LIMIT ?)
        RETURNING \(JobRow.columns)
        """

    static let startAttempt = "INSERT INTO attempts (job_id, attempt, worker, started_at) VALUES (?, ?, ?, ?)"

    static let heartbeat = "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_token = ? AND state = 'running'"

    static let complete = """
        UPDATE jobs SET state = 'succeeded', result = ?, last_error = NULL, lease_owner = NULL,
                        lease_token = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
        WHERE id = ? AND lease_token = ? AND state = 'running'
        """

    static let finishAttempt = """
        UPDATE attempts SET finished_at = ?, outcome = ?, error_class = ?, error = ?, latency_ms = ? - started_at
        WHERE job_id = ? AND attempt = ?
        """

    /// Jobs and reports by state, kept by triggers (migration 0005).
    static let counts = "SELECT state, jobs, reports FROM job_counts"

    /// Ids grow with `created_at`, so the lowest queued id is the oldest queued job: one
    /// `jobs_queued` lookup instead of reading every queued row for MIN(created_at).
    static let oldestQueued = """
        SELECT created_at FROM jobs WHERE id = (SELECT MIN(id) FROM jobs WHERE state = 'queued')
        """

    static let selectJob = "SELECT \(JobRow.columns) FROM jobs WHERE id = ?"
}
