import Foundation
import Testing
@testable import Queue

@Suite struct FailureTests {
    @Test func retryableFailuresBackOffThenDieThenRetryRevives() async throws {
        let policy = RetryPolicy(base: .seconds(10), cap: .seconds(1000), jitter: 0, maxAttempts: 3)
        let fixture = try QueueFixture(retryPolicy: policy)
        let id = try await fixture.enqueue(1)[0]

        for attempt in 1...2 {
            let job = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
            #expect(job.lease.attempt == attempt)
            #expect(try await fixture.queue.fail(job.lease, failure: .transient) == .queued)
            let queued = try await fixture.queue.job(id: id)!
            #expect(queued.lastError == "LLM answered 503")
            // Not due yet: nothing to lease until the backoff has passed.
            #expect(try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w").isEmpty)
            #expect(queued.runAfter.timeIntervalSince(fixture.clock.now) == 10 * Double(1 << (attempt - 1)))
            fixture.clock.advance(by: .seconds(10 * (1 << (attempt - 1))))
        }
        let last = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        #expect(try await fixture.queue.fail(last.lease, failure: .transient) == .dead)
        let dead = try await fixture.queue.job(id: id)!
        #expect(dead.state == .dead && dead.finishedAt != nil && dead.attempts == 3)

        let revived = try await fixture.queue.retry(id: id)
        #expect(revived.state == .queued && revived.maxAttempts == 6 && revived.finishedAt == nil)
        let again = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        #expect(again.lease.attempt == 4)
        try await fixture.queue.complete(again.lease, result: "ok")
        #expect(try await fixture.queue.job(id: id)?.state == .succeeded)
    }

    @Test func retryAfterFromTheServerWinsWhenLonger() async throws {
        let policy = RetryPolicy(base: .seconds(1), cap: .seconds(600), jitter: 0, maxAttempts: 5)
        let fixture = try QueueFixture(retryPolicy: policy)
        let id = try await fixture.enqueue(1)[0]
        let job = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        var failure = JobFailure.transient
        failure.retryAfter = .seconds(120)
        try await fixture.queue.fail(job.lease, failure: failure)
        #expect(try await fixture.queue.job(id: id)!.runAfter.timeIntervalSince(fixture.clock.now) == 120)
    }

    @Test func permanentFailureFailsAtOnce() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue(1)[0]
        let job = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        #expect(try await fixture.queue.fail(job.lease, failure: .permanent) == .failed)
        let failed = try await fixture.queue.job(id: id)!
        #expect(failed.state == .failed && failed.lastError == "pod not found" && failed.attempts == 1)
        let attempt = try await fixture.queue.database.read {
            try $0.queryFirst("SELECT outcome, error_class FROM attempts WHERE job_id = ?", [id]) { ($0.string(0), $0.string(1)) }
        }
        #expect(attempt?.0 == "failed" && attempt?.1 == "unknown_pod")
    }

    @Test func rescueOfAJobOutOfAttemptsMakesItDead() async throws {
        let fixture = try QueueFixture(retryPolicy: RetryPolicy(maxAttempts: 1))
        let id = try await fixture.enqueue(1)[0]
        _ = try await fixture.queue.lease(batch: 1, ttl: .seconds(1), owner: "poison")
        fixture.clock.advance(by: .seconds(2))
        #expect(try await fixture.queue.rescueExpiredLeases() == [id])
        #expect(try await fixture.queue.job(id: id)?.state == .dead)
        #expect(try await fixture.queue.retryAllDead() == [id])
        #expect(try await fixture.queue.job(id: id)?.state == .queued)
    }

    @Test func cancelFencesTheRunningWorker() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue(1)[0]
        let job = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        #expect(try await fixture.queue.cancel(id: id).state == .cancelled)
        await #expect(throws: QueueError.leaseLost(jobID: id, state: .cancelled)) {
            try await fixture.queue.complete(job.lease, result: "late")
        }
        await #expect(throws: QueueError.invalidTransition(jobID: id, from: .cancelled, action: "cancel")) {
            _ = try await fixture.queue.cancel(id: id)
        }
        #expect(try await fixture.queue.retry(id: id).state == .queued)
    }

    @Test func operatorActionsOnUnknownOrWrongStateJobs() async throws {
        let fixture = try QueueFixture()
        await #expect(throws: QueueError.notFound(jobID: 99)) { _ = try await fixture.queue.cancel(id: 99) }
        await #expect(throws: QueueError.notFound(jobID: 99)) { _ = try await fixture.queue.retry(id: 99) }
        let id = try await fixture.enqueue(1)[0]
        await #expect(throws: QueueError.invalidTransition(jobID: id, from: .queued, action: "retry")) {
            _ = try await fixture.queue.retry(id: id)
        }
    }

    @Test func retryRefusesWhenANewerJobCoversThePod() async throws {
        let fixture = try QueueFixture(dedupeWindow: .zero)
        let id = try await fixture.enqueue(1)[0]
        _ = try await fixture.queue.cancel(id: id)
        fixture.clock.advance(by: .seconds(1))
        let newer = try await fixture.enqueue(1)[0]
        #expect(newer != id)
        await #expect(throws: QueueError.conflict(jobID: id, activeJobID: newer)) { _ = try await fixture.queue.retry(id: id) }
    }
}
