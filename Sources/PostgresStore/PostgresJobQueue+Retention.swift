import Foundation
import PostgresNIO
import Queue

// Retention on PostgreSQL: each batch is one short transaction, so autovacuum can reclaim the
// deleted rows behind it (a long-running delete would hold back vacuum for every table).
extension PostgresJobQueue: JobRetention {
    public func pruneFinishedJobs(endedBefore cutoff: Date, limit: Int, dryRun: Bool) async throws -> PrunedRows {
        let limit = Int64(min(limit, Int(Int32.max)))
        return try await backend.transaction { tx in
            // SKIP LOCKED: a job an operator is retrying right now is left for the next round.
            let ids = try await tx.rows("""
                SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < \(cutoff)
                ORDER BY finished_at LIMIT \(limit) \(unescaped: dryRun ? "" : "FOR UPDATE SKIP LOCKED")
                """) { try $0.value(0, as: Int64.self) }
            guard !ids.isEmpty else { return PrunedRows() }
            func count(_ table: String) async throws -> Int {
                let counted = try await tx.first("SELECT count(*) FROM \(unescaped: table) WHERE job_id = ANY(\(ids))") {
                    try $0.value(0, as: Int64.self)
                }
                return Int(counted ?? 0)
            }
            let rows = PrunedRows(jobs: ids.count, attempts: try await count("attempts"),
                                  transcriptEntries: try await count("transcript_entries"))
            guard !dryRun else { return rows }
            // A job's occurrence entry in the ledger is keyed by its id and goes with it;
            // attempts and transcript entries go by ON DELETE CASCADE.
            try await tx.execute("DELETE FROM effects WHERE kind = 'occurrence' AND key = ANY(\(ids.map(String.init)))")
            try await tx.execute("DELETE FROM jobs WHERE id = ANY(\(ids))")
            return rows
        }
    }
}
