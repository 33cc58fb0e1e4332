import Foundation
import PostgresNIO
import Queue

/// How a PostgreSQL `jobs` row maps to `Job`: the column list every query selects, and its decoder.
enum PostgresJobRow {
    /// `jobs.`-qualified, so it may follow `UPDATE jobs … FROM` and `RETURNING`.
    static let columns = """
        jobs.id, jobs.namespace, jobs.pod, jobs.container, jobs.pipeline_run, jobs.task, jobs.source, jobs.state, \
        jobs.attempts, jobs.max_attempts, jobs.run_after, jobs.lease_owner, jobs.lease_expires_at, jobs.last_error, \
        jobs.result, jobs.fingerprint, jobs.group_id, jobs.report_count, jobs.created_at, jobs.updated_at, \
        jobs.finished_at, jobs.lease_token, jobs.rerun
        """

    static func job(_ row: PostgresRandomAccessRow) throws -> Job {
        let id: Int64 = try row.value(0)
        let stateText: String = try row.value(7)
        let sourceText: String = try row.value(6)
        guard let state = JobState(rawValue: stateText), let source = JobSource(rawValue: sourceText) else {
            throw PostgresStoreError.invalidValue("job \(id) has unknown state \(stateText) or source \(sourceText)")
        }
        let container: String = try row.value(3)
        return Job(
            id: id, namespace: try row.value(1), pod: try row.value(2), container: container.isEmpty ? nil : container,
            pipelineRun: try row.value(4), task: try row.value(5), source: source, state: state,
            attempts: try row.value(8), maxAttempts: try row.value(9), runAfter: try row.value(10),
            leaseOwner: try row.value(11), leaseExpiresAt: try row.value(12), lastError: try row.value(13),
            result: try row.value(14), fingerprint: try row.value(15), groupID: try row.value(16),
            reportCount: try row.value(17), createdAt: try row.value(18), updatedAt: try row.value(19),
            finishedAt: try row.value(20), rerunAttempt: Self.rerunAttempt(try row.value(22, as: Int.self)))
    }

    /// 0 in the column: never re-run.
    static func rerunAttempt(_ column: Int) -> Int? { column == 0 ? nil : column }

    /// The lease of a just-leased row (`lease_token` is the last column).
    static func leasedJob(_ row: PostgresRandomAccessRow) throws -> LeasedJob {
        let job = try job(row)
        let lease = Lease(jobID: job.id, token: try row.value(21), attempt: job.attempts, owner: job.leaseOwner ?? "")
        return LeasedJob(job: job, lease: lease)
    }
}
