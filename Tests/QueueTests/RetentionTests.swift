import Foundation
import Store
import Testing
import TestSupport
@testable import Queue

/// Retention: finished jobs past the window go with their attempts, transcripts and per-job
/// ledger rows; active jobs, recent jobs, failure groups and the issue ledger stay.
@Suite struct RetentionTests {
    private func finish(_ fixture: QueueFixture, count: Int) async throws -> [Int64] {
        let leased = try await fixture.queue.lease(batch: count, ttl: .seconds(60), owner: "w")
        for job in leased { try await fixture.queue.complete(job.lease, result: #"{"issue_url": "u"}"#) }
        return leased.map(\.job.id)
    }

    private func addTranscriptAndLedger(_ db: Database, jobID: Int64, at time: Date) async throws {
        let now = time.epochMilliseconds
        try await db.write { db in
            for seq in 0..<3 {
                try db.execute("""
                    INSERT INTO transcript_entries (job_id, attempt, seq, role, content, created_at) VALUES (?, 1, ?, 'user', 'x', ?)
                    """, [jobID, Int64(seq), now])
            }
            try db.execute("""
                INSERT INTO effects (kind, key, job_id, state, created_at, updated_at) VALUES ('occurrence', ?, ?, 'done', ?, ?)
                """, [String(jobID), jobID, now, now])
        }
    }

    private func count(_ db: Database, _ sql: String) async throws -> Int {
        try await db.read { try $0.queryFirst(sql) { Int($0.int64(0)) } ?? 0 }
    }

    @Test func prunesOnlyFinishedJobsPastTheWindow() async throws {
        let fixture = try QueueFixture()
        let db = fixture.queue.database
        let old = try await fixture.enqueue(5)
        let oldFinished = try await finish(fixture, count: 3)
        for id in oldFinished { try await addTranscriptAndLedger(db, jobID: id, at: fixture.clock.now) }
        // The issue ledger and the group outlive the job that created the issue.
        try await db.write { db in
            try db.execute("""
                INSERT INTO failure_groups (fingerprint, namespace, issue_url, issue_number, first_seen, last_seen)
                VALUES ('fp', 'ci', 'u', 1, 0, 0)
                """)
            try db.execute("""
                INSERT INTO effects (kind, key, job_id, state, created_at, updated_at) VALUES ('create_issue', 'fp', ?, 'done', 0, 0)
                """, [oldFinished[0]])
        }

        fixture.clock.advance(by: .seconds(31 * 86400))
        let recent = try await finish(fixture, count: 1)
        let stillQueued = Set(old).subtracting(oldFinished).subtracting(recent)
        let cutoff = fixture.clock.now.addingTimeInterval(-30 * 86400)

        let counted = try await fixture.queue.pruneAllFinishedJobs(endedBefore: cutoff, dryRun: true)
        #expect(counted == PrunedRows(jobs: 3, attempts: 3, transcriptEntries: 9))
        #expect(try await count(db, "SELECT count(*) FROM jobs") == 5, "a dry run deletes nothing")

        let pruned = try await fixture.queue.pruneAllFinishedJobs(endedBefore: cutoff, batch: 2)
        #expect(pruned == counted)
        for id in oldFinished { #expect(try await fixture.queue.job(id: id) == nil) }
        for id in recent + stillQueued { #expect(try await fixture.queue.job(id: id) != nil) }
        #expect(try await count(db, "SELECT count(*) FROM transcript_entries") == 0)
        #expect(try await count(db, "SELECT count(*) FROM attempts") == 1)
        #expect(try await count(db, "SELECT count(*) FROM effects WHERE kind = 'occurrence'") == 0)
        #expect(try await count(db, "SELECT count(*) FROM effects WHERE kind = 'create_issue' AND job_id IS NULL") == 1)
        #expect(try await count(db, "SELECT count(*) FROM failure_groups") == 1)

        #expect(try await fixture.queue.pruneAllFinishedJobs(endedBefore: cutoff) == PrunedRows())
        try await db.vacuum()
        #expect(try await count(db, "SELECT count(*) FROM jobs") == 2)
    }

    @Test func thePruneBatchIsReadFromTheFinishedIndex() async throws {
        let fixture = try QueueFixture()
        let plan = try await fixture.queue.database.read { db in
            try db.query("""
                EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < 1 ORDER BY finished_at LIMIT 5
                """) { $0.string(3) }
        }
        #expect(plan.contains { $0.contains("jobs_finished") }, "\(plan)")
    }
}
