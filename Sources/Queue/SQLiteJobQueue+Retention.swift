import Foundation
import Store

// Retention on SQLite: freed pages are reused for new rows, so the file stops growing once
// pruning keeps pace; `Database.vacuum()` gives the space back to the filesystem.
extension SQLiteJobQueue: JobRetention {
    /// The batch, oldest first (the `jobs_finished` index); ?1 is the cutoff, ?2 the limit.
    private static let batch = """
        SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?1 ORDER BY finished_at LIMIT ?2
        """

    public func pruneFinishedJobs(endedBefore cutoff: Date, limit: Int, dryRun: Bool) async throws -> PrunedRows {
        let (cutoff, limit) = (cutoff.epochMilliseconds, Int64(limit))
        let body: @Sendable (Connection) throws -> PrunedRows = { db in
            let values: [any SQLBindable] = [cutoff, limit]
            func count(_ sql: String) throws -> Int { try db.queryFirst(sql, values) { Int($0.int64(0)) } ?? 0 }
            let rows = PrunedRows(
                jobs: try count("SELECT count(*) FROM (\(Self.batch))"),
                attempts: try count("SELECT count(*) FROM attempts WHERE job_id IN (\(Self.batch))"),
                transcriptEntries: try count("SELECT count(*) FROM transcript_entries WHERE job_id IN (\(Self.batch))"))
            guard !dryRun, rows.jobs > 0 else { return rows }
            // A job's occurrence entry in the ledger is keyed by its id and goes with it;
            // attempts and transcript entries go by ON DELETE CASCADE.
            try db.execute("""
                DELETE FROM effects WHERE kind = 'occurrence' AND key IN (SELECT CAST(id AS TEXT) FROM (\(Self.batch)))
                """, values)
            try db.execute("DELETE FROM jobs WHERE id IN (\(Self.batch))", values)
            return rows
        }
        return dryRun ? try await database.read(body) : try await database.write(body)
    }
}
