import Foundation
import Testing
@testable import Queue

@Suite struct ListTests {
    @Test func listsNewestFirstWithFiltersAndPages() async throws {
        let fixture = try QueueFixture()
        let ci = try await fixture.enqueue(5, namespace: "ci")
        let other = try await fixture.enqueue(2, namespace: "other")
        let first = try await fixture.queue.list(JobFilter(limit: 4))
        #expect(first.jobs.map(\.id) == [other[1], other[0], ci[4], ci[3]])
        let second = try await fixture.queue.list(JobFilter(limit: 4, before: first.nextCursor))
        #expect(second.jobs.map(\.id) == [ci[2], ci[1], ci[0]])
        #expect(second.nextCursor == nil)

        #expect(try await fixture.queue.list(JobFilter(namespace: "other")).jobs.map(\.id) == other.reversed())
        _ = try await fixture.queue.lease(batch: 2, ttl: .seconds(30), owner: "w")
        #expect(try await fixture.queue.list(JobFilter(state: .running)).jobs.map(\.id) == [ci[1], ci[0]])
        await #expect(throws: QueueError.self) { _ = try await fixture.queue.list(JobFilter(limit: 0)) }
    }

    @Test func statsCountStatesAndReports() async throws {
        let fixture = try QueueFixture()
        _ = try await fixture.enqueue(3)
        _ = try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "pod-0", container: "step-build"))
        _ = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        let stats = try await fixture.queue.stats()
        #expect(stats.counts == [.queued: 2, .running: 1])
        #expect(stats.totalReports == 4)
        #expect(stats.oldestQueuedAt == fixture.clock.now)
    }

    @Test func jobJSONHasStableSnakeCaseKeys() throws {
        let fixture = try QueueFixture()
        _ = fixture
        let job = Job(id: 1, namespace: "ci", pod: "p", container: nil, pipelineRun: nil, task: nil, source: .cli,
                      state: .queued, attempts: 0, maxAttempts: 5, runAfter: Date(timeIntervalSince1970: 0),
                      leaseOwner: nil, leaseExpiresAt: nil, lastError: nil, result: nil, fingerprint: nil, groupID: nil,
                      reportCount: 1, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0),
                      finishedAt: nil)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(job)) as! [String: Any]
        #expect(Set(object.keys) == [
            "id", "namespace", "pod", "container", "pipeline_run", "task", "source", "state", "attempts",
            "max_attempts", "run_after", "lease_owner", "lease_expires_at", "last_error", "result", "fingerprint",
            "group_id", "report_count", "created_at", "updated_at", "finished_at", "rerun", "rerun_attempt",
        ])
    }
}
