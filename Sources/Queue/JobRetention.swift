import Foundation

/// Deletes what the retention window no longer keeps: finished jobs (succeeded, failed, dead,
/// cancelled) with their attempts, transcripts and per-job ledger rows. Queued and running
/// jobs are never touched, nor failure groups or the `create_issue` ledger, which keep the
/// one-issue-per-failure promise for as long as the issue lives.
public protocol JobRetention: Sendable {
    /// Deletes up to `limit` of the finished jobs that ended before `cutoff`, oldest first; with
    /// `dryRun`, only counts them (and what would go with them). Small batches keep each write
    /// transaction short, so ingest and workers wait for at most one batch.
    func pruneFinishedJobs(endedBefore cutoff: Date, limit: Int, dryRun: Bool) async throws -> PrunedRows
}

/// What one prune batch deleted (or, in a dry run, would delete).
public struct PrunedRows: Sendable, Equatable {
    public var jobs: Int
    public var attempts: Int
    public var transcriptEntries: Int

    public init(jobs: Int = 0, attempts: Int = 0, transcriptEntries: Int = 0) {
        self.jobs = jobs
        self.attempts = attempts
        self.transcriptEntries = transcriptEntries
    }

    public static func + (lhs: PrunedRows, rhs: PrunedRows) -> PrunedRows {
        PrunedRows(jobs: lhs.jobs + rhs.jobs, attempts: lhs.attempts + rhs.attempts,
                   transcriptEntries: lhs.transcriptEntries + rhs.transcriptEntries)
    }
}

extension JobRetention {
    /// Prunes batch after batch until none is left (or, in a dry run, counts everything).
    public func pruneAllFinishedJobs(endedBefore cutoff: Date, batch: Int = 500, dryRun: Bool = false,
                                     pause: Duration = .zero) async throws -> PrunedRows {
        if dryRun { return try await pruneFinishedJobs(endedBefore: cutoff, limit: Int.max, dryRun: true) }
        var total = PrunedRows()
        while true {
            let pruned = try await pruneFinishedJobs(endedBefore: cutoff, limit: batch, dryRun: false)
            total = total + pruned
            if pruned.jobs < batch { return total }
            try Task.checkCancellation()
            if pause > .zero { try await Task.sleep(for: pause) }
        }
    }
}
