import Foundation
import PostgresStore
import Queue
import Testing
import TestSupport

/// PostgreSQL only: jobs that finish while a completion is in flight are completed together,
/// in one statement, each fenced by its own lease; each caller still gets its own answer.
/// The `jobs` table is held locked (as in `PostgresGroupCommitTests`), so the batches' contents
/// are known, not left to timing.
@Suite struct PostgresCompletionBatchTests {
    @Test func jobsFinishingTogetherShareOneStatement() async throws {
        try await GroupCommitFixture.with { fixture in
            let leases = try await fixture.leased(10)
            let queue = fixture.queue
            let results = try await fixture.heldBackCompletions(leases) { "{\"n\":\($0)}" }
            for result in results { try result.get() }
            for (index, lease) in leases.enumerated() {
                let job = try #require(try await queue.job(id: lease.jobID))
                #expect(job.state == .succeeded && job.result == "{\"n\":\(index)}" && job.leaseOwner == nil)
                let attempts = try await queue.attempts(jobID: lease.jobID)
                #expect(attempts.count == 1 && attempts[0].outcome == "succeeded" && attempts[0].finishedAt != nil)
            }
            let statistics = await queue.completionStatistics()
            #expect(statistics.batches == 2 && statistics.requests == 10 && statistics.largestBatch == 9)
        }
    }

    @Test func aStaleRepeatedOrUnknownLeaseIsRefusedAlone() async throws {
        try await GroupCommitFixture.with { fixture in
            let leases = try await fixture.leased(3)
            let stale = Lease(jobID: leases[1].jobID, token: leases[1].token &+ 1, attempt: leases[1].attempt, owner: "other")
            let unknown = Lease(jobID: 999_999, token: 1, attempt: 1, owner: "w")
            let calls = [leases[0], stale, leases[2], leases[2], unknown]
            let queue = fixture.queue
            let results = try await fixture.heldBackCompletions(calls) { _ in nil }
            try results[0].get()
            #expect(throws: QueueError.leaseLost(jobID: leases[1].jobID, state: .running)) { try results[1].get() }
            // The same lease twice: one finishes the job, the other finds it finished.
            let repeated = [results[2], results[3]]
            #expect(repeated.filter { (try? $0.get()) != nil }.count == 1)
            for result in repeated where (try? result.get()) == nil {
                #expect(throws: QueueError.leaseLost(jobID: leases[2].jobID, state: .succeeded)) { try result.get() }
            }
            #expect(throws: QueueError.notFound(jobID: 999_999)) { try results[4].get() }
            #expect(try await queue.job(id: leases[1].jobID)?.state == .running)
            #expect(try await queue.job(id: leases[2].jobID)?.state == .succeeded)
        }
    }

    @Test func aResultTheServerRefusesFailsOnlyItsCompletion() async throws {
        try await GroupCommitFixture.with { fixture in
            let leases = try await fixture.leased(5)
            let queue = fixture.queue
            // text cannot hold NUL: SQLSTATE 22021 fails the batch, then this one alone.
            let results = try await fixture.heldBackCompletions(leases) { $0 == 3 ? "bad\u{0}result" : "ok" }
            for (index, result) in results.enumerated() {
                if index == 3 {
                    #expect(throws: PostgresStoreError.self) { try result.get() }
                    #expect(try await queue.job(id: leases[index].jobID)?.state == .running)
                } else {
                    try result.get()
                    #expect(try await queue.job(id: leases[index].jobID)?.state == .succeeded)
                }
            }
        }
    }
}

extension GroupCommitFixture {
    /// `count` jobs of distinct pods, enqueued and leased.
    func leased(_ count: Int) async throws -> [Lease] {
        for index in 0..<count { _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "done-\(index)")) }
        let leased = try await queue.lease(batch: count, ttl: .seconds(60), owner: "w")
        try #require(leased.count == count)
        return leased.map(\.lease).sorted { $0.jobID < $1.jobID }
    }

    /// Completes every lease of `leases` (with `result(index)`) concurrently while the table is
    /// held: the first completion's batch waits, the others queue up behind it.
    func heldBackCompletions(_ leases: [Lease], result: @escaping @Sendable (Int) -> String?) async throws
        -> [Result<Void, any Error>] {
        let queue = queue
        return try await heldBack(leases.count, batches: { await queue.completionStatistics().batches },
                                  waiting: { await queue.completionsWaiting() }) { index in
            try await queue.complete(leases[index], result: result(index))
        }
    }
}
