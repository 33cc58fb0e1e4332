import Foundation
import Store

/// How a `jobs` row maps to `Job`: the column list every query selects, and its decoder.
enum JobRow {
    static let columns = """
        id, namespace, pod, container, pipeline_run, task, source, state, attempts, max_attempts, \
        run_after, lease_owner, lease_expires_at, last_error, result, fingerprint, group_id, \
        report_count, created_at, updated_at, finished_at, lease_token, rerun
        """

    static func job(_ row: Row) throws -> Job {
        let stateText = row.string(7)
        let sourceText = row.string(6)
        guard let state = JobState(rawValue: stateText), let source = JobSource(rawValue: sourceText) else {
            throw SQLiteError(code: 11, message: "job \(row.int64(0)) has unknown state \(stateText) or source \(sourceText)")
        }
        let container = row.string(3)
        return Job(
            id: row.int64(0), namespace: row.string(1), pod: row.string(2),
            container: container.isEmpty ? nil : container,
            pipelineRun: row.optionalString(4), task: row.optionalString(5),
            source: source, state: state, attempts: row.int(8), maxAttempts: row.int(9),
            runAfter: date(row.int64(10)), leaseOwner: row.optionalString(11),
            leaseExpiresAt: row.optionalInt64(12).map(date), lastError: row.optionalString(13),
            result: row.optionalString(14), fingerprint: row.optionalString(15), groupID: row.optionalInt64(16),
            reportCount: row.int(17), createdAt: date(row.int64(18)), updatedAt: date(row.int64(19)),
            finishedAt: row.optionalInt64(20).map(date), rerunAttempt: row.int(22) == 0 ? nil : row.int(22))
    }

    /// The lease of a just-leased row (`lease_token` is the last column).
    static func leasedJob(_ row: Row) throws -> LeasedJob {
        let job = try job(row)
        let lease = Lease(jobID: job.id, token: row.int64(21), attempt: job.attempts, owner: job.leaseOwner ?? "")
        return LeasedJob(job: job, lease: lease)
    }

    static func date(_ milliseconds: Int64) -> Date { Date(epochMilliseconds: milliseconds) }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
