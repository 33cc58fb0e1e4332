import Foundation
import Store
import Testing
import TestSupport
@testable import Queue

/// A queue that stays fast with a backlog: the hot statements read a bounded number of rows
/// whatever the table holds, and the counts behind `/metrics` stay exact through every
/// transition without scanning the table.
@Suite struct BacklogTests {
    /// The plan of `sql` on a queue holding a backlog, finished rows and statistics-free tables
    /// (the planner's state in production: nothing runs ANALYZE).
    private func plan(_ fixture: QueueFixture, _ sql: String) async throws -> [String] {
        try await fixture.queue.database.read { db in
            try db.query("EXPLAIN QUERY PLAN \(sql)") { $0.string(3) }
        }
    }

    @Test func hotStatementsReadBoundedRowsOnly() async throws {
        let fixture = try QueueFixture()
        _ = try await fixture.enqueue(50)
        for job in try await fixture.queue.lease(batch: 20, ttl: .seconds(60), owner: "w") {
            try await fixture.queue.complete(job.lease, result: nil)
        }
        // Statement → the index it must use. A full SCAN or a sort of all candidate rows would
        // make its cost grow with the backlog or with the finished rows.
        let statements: [(String, String)] = [
            (JobSQL.lease, "jobs_ready"),
            (JobSQL.heartbeat, "INTEGER PRIMARY KEY"),
            (JobSQL.complete, "INTEGER PRIMARY KEY"),
            (JobSQL.startAttempt, ""),
            (JobSQL.finishAttempt, "PRIMARY KEY"),
            (JobSQL.findReport, "jobs_report"),
            (JobSQL.countReport, "INTEGER PRIMARY KEY"),
            (JobSQL.counts, "job_counts"),
            (JobSQL.oldestQueued, "jobs_queued"),
        ]
        for (sql, index) in statements {
            let steps = try await plan(fixture, sql)
            #expect(!steps.contains { $0.hasPrefix("SCAN jobs") || $0.hasPrefix("SCAN attempts") }, "\(sql)\n\(steps)")
            #expect(index.isEmpty || steps.contains { $0.contains(index) }, "\(sql)\n\(steps)")
        }
        // The lease takes its LIMIT rows in the index's order: no sort of every due job.
        #expect(!(try await plan(fixture, JobSQL.lease)).contains { $0.contains("TEMP B-TREE") })
    }

    /// A list of one state reads that state's partial index (or, for succeeded jobs, most of the
    /// table, the table newest first up to its LIMIT): never every row of the table, sorted.
    @Test func listsOfOneStateReadAnIndexInOrder() async throws {
        let fixture = try QueueFixture()
        _ = try await fixture.enqueue(20)
        let expected: [(JobState, String)] = [
            (.queued, "jobs_queued"), (.failed, "jobs_failed"), (.dead, "jobs_dead"),
            (.cancelled, "jobs_cancelled"), (.succeeded, ""),
        ]
        for (state, index) in expected {
            let steps = try await plan(fixture, SQLiteJobQueue.listStatement(JobFilter(state: state)).sql)
            #expect(index.isEmpty || steps.contains { $0.contains(index) }, "\(state)\n\(steps)")
            #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "\(state)\n\(steps)")
        }
    }

    /// The counts are compared with the table after each step, through every transition that
    /// moves a job between states or adds a report, and retention's deletes.
    @Test func countsFollowEveryTransition() async throws {
        let fixture = try QueueFixture(retryPolicy: RetryPolicy(maxAttempts: 1))
        let queue = fixture.queue
        func expectCountsMatchTable(_ step: String) async throws {
            let table = try await queue.database.read { db in
                try db.query("SELECT state, count(*), sum(report_count) FROM jobs GROUP BY state") {
                    (JobState(rawValue: $0.string(0))!, $0.int(1), $0.int(2))
                }
            }
            let stats = try await queue.stats()
            #expect(stats.counts == Dictionary(uniqueKeysWithValues: table.map { ($0.0, $0.1) }), "\(step)")
            #expect(stats.totalReports == table.reduce(0) { $0 + $1.2 }, "\(step)")
        }
        let ids = try await fixture.enqueue(8)
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-0", container: "step-build"))
        try await expectCountsMatchTable("enqueued, one duplicate report")

        let leased = try await queue.lease(batch: 6, ttl: .seconds(60), owner: "w")
        try await expectCountsMatchTable("leased")
        try await queue.complete(leased[0].lease, result: nil)
        try await queue.complete(leased[1].lease, result: nil)
        _ = try await queue.fail(leased[2].lease, failure: .permanent)
        _ = try await queue.fail(leased[3].lease, failure: .transient)  // out of attempts: dead
        try await queue.release(leased[4].lease, delay: .zero)
        _ = try await queue.cancel(id: ids[7])
        try await expectCountsMatchTable("completed, failed, dead, released, cancelled")

        _ = try await queue.retry(id: leased[3].job.id)
        _ = try await queue.rerun(id: leased[0].job.id)
        fixture.clock.advance(by: .seconds(120))
        #expect(try await queue.rescueExpiredLeases() == [leased[5].job.id])
        try await expectCountsMatchTable("retried, re-run, rescued")

        fixture.clock.advance(by: .seconds(3600))
        let pruned = try await queue.pruneAllFinishedJobs(endedBefore: fixture.clock.now)
        #expect(pruned.jobs == 4, "succeeded, failed, cancelled and the rescued job out of attempts (dead)")
        try await expectCountsMatchTable("pruned")
    }

    /// The transitions `countsFollowEveryTransition` does not take: a duplicate report on a
    /// running and on a succeeded job, a retryable failure with attempts left (back to
    /// queued), a restarted worker reclaiming its leases, and `retryAllDead`.
    @Test func countsFollowRetriesReclaimsAndDuplicates() async throws {
        let fixture = try QueueFixture(retryPolicy: RetryPolicy(maxAttempts: 2))
        let queue = fixture.queue
        func expectCountsMatchTable(_ step: String) async throws {
            let table = try await queue.database.read { db in
                try db.query("SELECT state, count(*), sum(report_count) FROM jobs GROUP BY state") {
                    (JobState(rawValue: $0.string(0))!, $0.int(1), $0.int(2))
                }
            }
            let stored = try await queue.database.read { db in
                try db.query("SELECT state, jobs, reports FROM job_counts WHERE jobs <> 0 OR reports <> 0") {
                    (JobState(rawValue: $0.string(0))!, $0.int(1), $0.int(2))
                }
            }
            // Per state, reports included (stats only shows their total).
            #expect(stored.sorted { $0.0 < $1.0 }.map { "\($0)" } == table.sorted { $0.0 < $1.0 }.map { "\($0)" }, "\(step)")
        }
        _ = try await fixture.enqueue(6)
        let first = try await queue.lease(batch: 3, ttl: .seconds(60), owner: "w1")
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-0", container: "step-build"))
        try await queue.complete(first[1].lease, result: nil)
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-1", container: "step-build"))
        try await expectCountsMatchTable("duplicate reports on a running and on a succeeded job")

        #expect(try await queue.fail(first[2].lease, failure: .transient) == .queued)
        try await expectCountsMatchTable("a retryable failure with an attempt left")

        #expect(try await queue.reclaimLeases(owner: "w1") == [first[0].job.id])
        try await expectCountsMatchTable("reclaimed")

        var dead: [Int64] = []
        for _ in 0..<3 {
            for job in try await queue.lease(batch: 10, ttl: .seconds(60), owner: "w2") {
                if try await queue.fail(job.lease, failure: .transient) == .dead { dead.append(job.job.id) }
            }
            fixture.clock.advance(by: .seconds(3600))
        }
        #expect(dead.count >= 2)
        try await expectCountsMatchTable("dead")
        #expect(try await queue.retryAllDead().count == dead.count)
        try await expectCountsMatchTable("dead ones retried")
    }

    /// A database from before migration 0005, with jobs in it, gets its counts from the table,
    /// and the queue keeps them exact from there.
    @Test func theMigrationCountsExistingJobs() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("old.sqlite")
        let before = Schema.migrations.filter { $0.version < 5 }
        do {
            // Rows as a binary of that schema left them: this binary's writes keep job_counts,
            // which that schema lacks.
            let old = try Database.open(path: path, migrations: before)
            try await old.write { db in
                for (pod, state, reports, finished) in [("p0", "running", 2, nil), ("p1", "succeeded", 1, 5), ("p2", "queued", 1, nil),
                                                         ("p3", "queued", 1, nil), ("p4", "queued", 1, nil)] as [(String, String, Int, Int64?)] {
                    try db.execute("""
                        INSERT INTO jobs (namespace, pod, container, state, report_count, run_after, created_at, updated_at, finished_at)
                        VALUES ('ci', ?, 'c', ?, ?, 0, 0, 0, ?)
                        """, [pod, state, reports, finished])
                }
            }
        }
        let queue = SQLiteJobQueue(database: try Database.open(path: path))
        let stats = try await queue.stats()
        #expect(stats.counts == [.queued: 3, .running: 1, .succeeded: 1])
        #expect(stats.totalReports == 6)
        let leased = try await queue.lease(batch: 1, ttl: .seconds(60), owner: "w")
        try await queue.complete(leased[0].lease, result: nil)
        #expect(try await queue.stats().counts == [.queued: 2, .running: 1, .succeeded: 2])
    }

    /// Migration 0008 moves attempts into a table keyed by (job, attempt): every attempt is
    /// kept as it was, an open one can still be finished by its lease, and deleting a job still
    /// deletes its attempts.
    @Test func theAttemptsMigrationKeepsEveryAttempt() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("old.sqlite")
        do {
            let old = try Database.open(path: path, migrations: Schema.migrations.filter { $0.version < 8 })
            try await old.write { db in
                try db.execute("""
                    INSERT INTO jobs (id, namespace, pod, state, attempts, lease_owner, lease_token, lease_expires_at,
                                      run_after, created_at, updated_at)
                    VALUES (1, 'ci', 'p1', 'running', 2, 'w', 77, 9000000000000, 0, 0, 0)
                    """)
                try db.execute("UPDATE job_counts SET jobs = 1, reports = 1 WHERE state = 'running'")
                try db.execute("""
                    INSERT INTO attempts (job_id, attempt, worker, started_at, finished_at, outcome, error_class, error, latency_ms)
                    VALUES (1, 1, 'w0', 10, 20, 'retry', 'model', 'model timed out', 10), (1, 2, 'w', 30, NULL, NULL, NULL, NULL, NULL)
                    """)
            }
        }
        let queue = SQLiteJobQueue(database: try Database.open(path: path))
        let attempts = try await queue.attempts(jobID: 1)
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.worker) == ["w0", "w"])
        #expect(attempts[0].outcome == "retry" && attempts[0].errorClass == "model" && attempts[0].latencyMilliseconds == 10)
        #expect(attempts[1].finishedAt == nil)

        try await queue.complete(Lease(jobID: 1, token: 77, attempt: 2, owner: "w"), result: nil)
        #expect(try await queue.attempts(jobID: 1).map(\.outcome) == ["retry", "succeeded"])
        try await queue.database.write { db in try db.execute("DELETE FROM jobs WHERE id = 1") }
        #expect(try await queue.attempts(jobID: 1).isEmpty)
    }
}
