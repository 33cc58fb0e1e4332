import Foundation
import Store
import Testing
@testable import Queue

@Suite struct LeaseTests {
    @Test func leasesDueJobsOldestFirstAndRecordsTheAttempt() async throws {
        let fixture = try QueueFixture()
        let ids = try await fixture.enqueue(3)
        let leased = try await fixture.queue.lease(batch: 2, ttl: .seconds(30), owner: "worker-1")
        #expect(leased.map(\.job.id) == Array(ids.prefix(2)))
        #expect(leased.allSatisfy { $0.job.state == .running && $0.job.attempts == 1 && $0.lease.attempt == 1 })
        #expect(leased[0].job.leaseOwner == "worker-1")
        let attempts = try await fixture.queue.database.read {
            try $0.query("SELECT job_id, attempt, worker FROM attempts ORDER BY job_id") { ($0.int64(0), $0.int(1), $0.string(2)) }
        }
        #expect(attempts.map(\.0) == Array(ids.prefix(2)))
        #expect(attempts.allSatisfy { $0.1 == 1 && $0.2 == "worker-1" })
        #expect(try await fixture.queue.lease(batch: 10, ttl: .seconds(30), owner: "w").map(\.job.id) == [ids[2]])
        #expect(try await fixture.queue.lease(batch: 10, ttl: .seconds(30), owner: "w").isEmpty)
    }

    @Test func twoConnectionsLeaseEveryJobExactlyOnce() async throws {
        let fixture = try QueueFixture()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<2000 {
                group.addTask { try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id }
            }
            return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
        }
        #expect(ids.count == 2000)
        let queues = [fixture.queue, try fixture.makeQueue()]
        let perWorker = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, queue) in queues.enumerated() {
                for lane in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await queue.lease(batch: 7, ttl: .seconds(60), owner: "w\(index)-\(lane)")
                            if batch.isEmpty { return mine }
                            for job in batch { try await queue.complete(job.lease, result: nil) }
                            mine += batch.map(\.job.id)
                        }
                    }
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        let all = perWorker.flatMap { $0 }
        #expect(all.count == 2000)
        #expect(Set(all) == ids)
        #expect(try await fixture.queue.stats().counts[.succeeded] == 2000)
    }

    @Test func anExpiredLeaseIsRescuedAndTheOldTokenIsFenced() async throws {
        let fixture = try QueueFixture()
        let ids = try await fixture.enqueue(1)
        let first = try await fixture.queue.lease(batch: 1, ttl: .seconds(10), owner: "crashed")[0]

        #expect(try await fixture.queue.rescueExpiredLeases().isEmpty)
        fixture.clock.advance(by: .seconds(11))
        #expect(try await fixture.queue.rescueExpiredLeases() == ids)
        let rescued = try await fixture.queue.job(id: ids[0])
        #expect(rescued?.state == .queued)
        #expect(rescued?.lastError?.contains("crashed") == true)

        let second = try await fixture.queue.lease(batch: 1, ttl: .seconds(10), owner: "healthy")[0]
        #expect(second.lease.attempt == 2 && second.lease.token != first.lease.token)

        await #expect(throws: QueueError.leaseLost(jobID: ids[0], state: .running)) {
            try await fixture.queue.complete(first.lease, result: "stale")
        }
        await #expect(throws: QueueError.leaseLost(jobID: ids[0], state: .running)) {
            try await fixture.queue.heartbeat(first.lease, ttl: .seconds(10))
        }
        await #expect(throws: QueueError.leaseLost(jobID: ids[0], state: .running)) {
            try await fixture.queue.fail(first.lease, failure: .transient)
        }
        try await fixture.queue.complete(second.lease, result: "fresh")
        #expect(try await fixture.queue.job(id: ids[0])?.result == "fresh")
        let outcomes = try await fixture.queue.database.read {
            try $0.query("SELECT outcome FROM attempts WHERE job_id = ? ORDER BY attempt", [ids[0]]) { $0.string(0) }
        }
        #expect(outcomes == ["lease_expired", "succeeded"])
    }

    @Test func heartbeatKeepsALeaseAlive() async throws {
        let fixture = try QueueFixture()
        let ids = try await fixture.enqueue(1)
        let job = try await fixture.queue.lease(batch: 1, ttl: .seconds(10), owner: "w")[0]
        fixture.clock.advance(by: .seconds(8))
        try await fixture.queue.heartbeat(job.lease, ttl: .seconds(10))
        fixture.clock.advance(by: .seconds(8))
        #expect(try await fixture.queue.rescueExpiredLeases().isEmpty)
        try await fixture.queue.complete(job.lease, result: nil)
        #expect(try await fixture.queue.job(id: ids[0])?.state == .succeeded)
    }

    @Test func releaseReturnsAJobWithoutUsingAnAttempt() async throws {
        let fixture = try QueueFixture(retryPolicy: RetryPolicy(maxAttempts: 1))
        let ids = try await fixture.enqueue(1)
        let first = try await fixture.queue.lease(batch: 1, ttl: .seconds(10), owner: "stopping")[0]
        try await fixture.queue.release(first.lease)
        let second = try await fixture.queue.lease(batch: 1, ttl: .seconds(10), owner: "w")[0]
        #expect(second.job.id == ids[0])
        // One real attempt is still left: a retryable failure would make it dead, not retried early.
        #expect(second.job.maxAttempts - second.job.attempts == 0)
        #expect(try await fixture.queue.fail(second.lease, failure: .transient) == .dead)
    }

    @Test func leaseOfUnknownJobIsNotFound() async throws {
        let fixture = try QueueFixture()
        let bogus = Lease(jobID: 424242, token: 1, attempt: 1, owner: "w")
        await #expect(throws: QueueError.notFound(jobID: 424242)) { try await fixture.queue.complete(bogus, result: nil) }
    }
}
