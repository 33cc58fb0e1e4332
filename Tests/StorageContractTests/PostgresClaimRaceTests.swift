import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport
import Worker

/// A claim on PostgreSQL reads the failure's group, then who is creating its issue, in
/// separate statements (READ COMMITTED: each its own snapshot). Had the creator recorded its
/// issue and finished in between, the claim saw no issue and a creator that was no longer
/// running, took the creation over, and adopted the issue: an occurrence without its comment
/// (seen twice in a multi-host run under load). Recording the issue now waits for the claims
/// of its fingerprint. The test makes the window wide: it holds the claiming job's row, so the
/// claim stops right after it read the group, while the creator records and finishes.
@Suite struct PostgresClaimRaceTests {
    @Test(.timeLimit(.minutes(3))) func aClaimNeverTakesOverACreationThatFinishedWhileItRan() async throws {
        let url = try await PostgresCluster.shared.createDatabase()
        let logger = { var logger = Logger(label: "claim-race"); logger.logLevel = .error; return logger }()
        let storage = try await AgentStorage.postgres(PostgresLocation(url: url), settings: PostgresSettings(poolSize: 6), logger: logger)
        let side = PostgresBackend(location: try PostgresLocation(url: url), settings: PostgresSettings(poolSize: 2), logger: logger)
        defer { Task { await side.shutdown(); await storage.shutdown() } }

        let queue = storage.queue
        let creator = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1")).job.id
        let other = try await queue.enqueue(NewJob(namespace: "ci", pod: "p2")).job.id
        let leases = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "w").map(\.lease)
        let creatorLease = try #require(leases.first { $0.jobID == creator })
        guard case .createIssue(let group, false) = try await storage.groups.claim(fingerprint: "f", namespace: "ci", jobID: creator) else {
            Issue.record("the first job should create the issue"); return
        }

        // Another session holds the other job's row until told to let go.
        let (held, holding) = AsyncStream<Void>.makeStream()
        let (letGo, letting) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await side.client.withTransaction(logger: logger) { connection in
                for try await _ in try await connection.query("SELECT id FROM jobs WHERE id = \(other) FOR UPDATE", logger: logger) {}
                holding.yield()
                for await _ in letGo { break }
            }
        }
        for await _ in held { break }

        let claim = Task { try await storage.groups.claim(fingerprint: "f", namespace: "ci", jobID: other) }
        _ = try await eventually("the claim to wait for the held row", timeout: .seconds(60), every: .milliseconds(20)) {
            let waiting = try await side.client.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """, logger: logger)
            for try await count in waiting.decode(Int.self) where count > 0 { return true }
            return nil
        }
        // Meanwhile the creator records its issue and finishes, as fast as the database lets it.
        let finished = Task {
            _ = try await storage.groups.fenced(by: creatorLease).recordIssue(
                groupID: group.id, fingerprint: "f", url: "https://gitea/i/1", number: 1, title: "t")
            try await queue.complete(creatorLease, result: nil)
        }
        // Time for the creator to run ahead of the held claim, as it did without the fix.
        try await Task.sleep(for: .milliseconds(500))
        letting.yield()
        try await holder.value

        switch try await claim.value {
        case .inProgress(let owner):
            #expect(owner == creator)
        case .existingIssue(let seen):
            #expect(seen.issueURL == "https://gitea/i/1")
        case let decision:
            Issue.record("the claim took over a creation that had already finished: \(decision)")
        }
        try await finished.value
        // Once the creator is done, the other job comments on its issue.
        guard case .existingIssue(let seen) = try await storage.groups.claim(fingerprint: "f", namespace: "ci", jobID: other) else {
            Issue.record("the creator's issue should be found"); return
        }
        #expect(seen.issueURL == "https://gitea/i/1" && seen.occurrences == 1)
    }
}
