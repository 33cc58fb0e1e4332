/// The hot-path statements of the SQLite driver, built once (the statement cache is keyed by
/// the SQL text).
enum JobSQL {
    /// The active job of a report key, or else the latest one that succeeded within the window.
    /// A failed, dead or cancelled job does not absorb a new report: the report is analysed
    /// again (the failure may have been a peer outage, and that pod may be a new run's).
    static let findReport = """
        SELECT id FROM jobs
        WHERE namespace = ? AND pod = ? AND container = ?
          AND (state IN ('queued', 'running') OR (state = 'succeeded' AND finished_at >= ?))
        ORDER BY state IN ('queued', 'running') DESC, id DESC LIMIT 1
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

    static let lease = """
        UPDATE jobs SET state = 'running', lease_owner = ?, lease_token = ?, lease_expires_at = ?,
                        attempts = attempts + 1, updated_at = ?
        WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= ?
                     ORDER BY run_after, id LIMIT ?)
        RETURNING \(JobRow.columns)
        """

    static let selectJob = "SELECT \(JobRow.columns) FROM jobs WHERE id = ?"
}
