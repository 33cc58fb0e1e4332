import Foundation
import Testing
@testable import Queue

@Suite struct EnqueueTests {
    @Test func aNewReportIsQueued() async throws {
        let fixture = try QueueFixture()
        let result = try await fixture.queue.enqueue(
            NewJob(namespace: "ci", pod: "build-abc-pod", container: "step-test", pipelineRun: "build-abc", task: "test"))
        #expect(!result.duplicate)
        #expect(result.job.state == .queued)
        #expect(result.job.container == "step-test")
        #expect(result.job.pipelineRun == "build-abc")
        #expect(result.job.reportCount == 1)
        #expect(result.job.maxAttempts == 3)
        #expect(try await fixture.queue.job(id: result.job.id) == result.job)
    }

    @Test func aDuplicateReportReturnsTheActiveJobAndCountsIt() async throws {
        let fixture = try QueueFixture()
        let report = NewJob(namespace: "ci", pod: "p", container: "step-a")
        let first = try await fixture.queue.enqueue(report)
        let second = try await fixture.queue.enqueue(report)
        #expect(second.duplicate)
        #expect(second.job.id == first.job.id)
        #expect(second.job.reportCount == 2)

        // Still the same job while it runs.
        _ = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        let third = try await fixture.queue.enqueue(report)
        #expect(third.job.id == first.job.id && third.job.reportCount == 3)

        // Another container of the same pod is another job.
        let other = try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "p", container: "step-b"))
        #expect(!other.duplicate && other.job.id != first.job.id)
        // So is a report without a container.
        let unnamed = try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "p"))
        #expect(!unnamed.duplicate && unnamed.job.container == nil)
    }

    @Test func concurrentDuplicateReportsCollapseIntoOneJob() async throws {
        let fixture = try QueueFixture()
        let second = try fixture.makeQueue()
        let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
            for index in 0..<40 {
                let queue = index.isMultiple(of: 2) ? fixture.queue : second
                group.addTask { try await queue.enqueue(NewJob(namespace: "ci", pod: "same", container: "step-x")) }
            }
            return try await group.reduce(into: [EnqueueResult]()) { $0.append($1) }
        }
        #expect(Set(results.map(\.job.id)).count == 1)
        #expect(results.filter { !$0.duplicate }.count == 1)
        #expect(try await fixture.queue.job(id: results[0].job.id)?.reportCount == 40)
    }

    @Test func aFinishedJobAbsorbsReportsWithinTheWindowOnly() async throws {
        let fixture = try QueueFixture(dedupeWindow: .seconds(3600))
        let report = NewJob(namespace: "ci", pod: "p", container: "step-a")
        let first = try await fixture.queue.enqueue(report)
        let leased = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        try await fixture.queue.complete(leased[0].lease, result: #"{"issue_url":"u"}"#)

        fixture.clock.advance(by: .seconds(3000))
        let again = try await fixture.queue.enqueue(report)
        #expect(again.duplicate && again.job.id == first.job.id && again.job.state == .succeeded)

        fixture.clock.advance(by: .seconds(700))
        let later = try await fixture.queue.enqueue(report)
        #expect(!later.duplicate && later.job.id != first.job.id)
    }

    @Test func aJobThatDidNotSucceedAbsorbsNoNewReport() async throws {
        let fixture = try QueueFixture(dedupeWindow: .seconds(3600))
        let report = NewJob(namespace: "ci", pod: "p", container: "step-a")
        // failed (permanent error), dead (attempts used up), cancelled (by an operator)
        let failed = try await fixture.queue.enqueue(report)
        var leased = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        try await fixture.queue.fail(leased[0].lease, failure: JobFailure(message: "x", errorClass: "x", retryable: false))
        let afterFailed = try await fixture.queue.enqueue(report)
        #expect(!afterFailed.duplicate && afterFailed.job.id != failed.job.id)

        let cancelled = try await fixture.queue.cancel(id: afterFailed.job.id)
        #expect(cancelled.state == .cancelled)
        let afterCancelled = try await fixture.queue.enqueue(report)
        #expect(!afterCancelled.duplicate && afterCancelled.job.id != afterFailed.job.id)

        leased = try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        try await fixture.queue.complete(leased[0].lease, result: nil)
        let afterSucceeded = try await fixture.queue.enqueue(report)
        #expect(afterSucceeded.duplicate && afterSucceeded.job.id == afterCancelled.job.id)
    }

    @Test func invalidReportsAreRefusedWithTheField() async throws {
        let fixture = try QueueFixture()
        let cases: [(NewJob, String)] = [
            (NewJob(namespace: "", pod: "p"), "namespace"),
            (NewJob(namespace: "Bad_NS", pod: "p"), "namespace"),
            (NewJob(namespace: String(repeating: "a", count: 64), pod: "p"), "namespace"),
            (NewJob(namespace: "ci", pod: "-p"), "pod_name"),
            (NewJob(namespace: "ci", pod: "a..b"), "pod_name"),
            (NewJob(namespace: "ci", pod: "p", container: "step_x"), "container_name"),
            (NewJob(namespace: "ci", pod: "p", maxAttempts: 0), "max_attempts"),
        ]
        for (job, field) in cases {
            await #expect {
                _ = try await fixture.queue.enqueue(job)
            } throws: { error in
                guard case QueueError.invalidInput(let reported, _) = error else { return false }
                return reported == field
            }
        }
        #expect(try await fixture.queue.stats().total == 0)
        // Long but valid names pass.
        let pod = (0..<3).map { _ in String(repeating: "p", count: 63) }.joined(separator: ".") + "." + String(repeating: "q", count: 61)
        #expect(pod.count == 253)
        _ = try await fixture.queue.enqueue(NewJob(namespace: String(repeating: "n", count: 63), pod: pod))
    }
}
