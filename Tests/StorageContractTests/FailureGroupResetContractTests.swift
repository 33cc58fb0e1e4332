import Foundation
import Queue
import Storage
import Testing
import Worker

/// The contract of `FailureGroupStore.reset` (`agentctl groups reset`) and of the re-run
/// ledger (`agentctl jobs rerun`), run against every driver.
@Suite struct FailureGroupResetContractTests {
    @Test(arguments: StorageDriver.allCases) func aResetGroupIsAnalysedAfreshAndFilesANewIssue(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let queue = storage.queue, groups = storage.groups
            let first = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1")).job.id
            _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p2"))
            let leased = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "w")
            guard case .createIssue(let group, false) = try await groups.claim(fingerprint: "f", namespace: "ci", jobID: first) else {
                Issue.record("first claim should create"); return
            }
            _ = try await groups.recordIssue(groupID: group.id, fingerprint: "f", url: "u1", number: 1, title: "t")
            for job in leased { try await queue.complete(job.lease, result: "{}") }

            let reset = try await groups.reset(groupID: group.id, force: false)
            #expect(reset.issueURL == nil && reset.issueNumber == nil && reset.title == nil)
            #expect(reset.fingerprint == "f" && reset.occurrences == 1)
            // The next occurrence creates the issue again, not "interrupted" (the ledger entry is gone).
            let third = try await queue.enqueue(NewJob(namespace: "ci", pod: "p3")).job.id
            _ = try await queue.lease(batch: 1, ttl: .seconds(60), owner: "w")
            guard case .createIssue(let again, false) = try await groups.claim(fingerprint: "f", namespace: "ci", jobID: third) else {
                Issue.record("the claim after a reset should create afresh"); return
            }
            #expect(again.id == group.id)
            // While that job is active the reset is refused, unless forced.
            await #expect(throws: FailureGroupResetError.activeJobs(groupID: group.id, jobIDs: [third])) {
                try await groups.reset(groupID: group.id, force: false)
            }
            #expect(try await groups.reset(groupID: group.id, force: true).issueURL == nil)
            guard case .createIssue(_, false) = try await groups.claim(fingerprint: "f", namespace: "ci", jobID: third) else {
                Issue.record("a forced reset forgets the creation in progress"); return
            }
            await #expect(throws: FailureGroupResetError.notFound(groupID: 9999)) {
                try await groups.reset(groupID: 9999, force: true)
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func aRerunIsLedgeredOncePerRerunAttempt(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let job = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p1")).job.id
            let groups = storage.groups
            #expect(try await groups.beginRerun(jobID: job, attempt: 2, issueURL: "u1") == FailureRerunEntry(state: .new, issueURL: "u1"))
            // An interrupted attempt finds what the re-run began with, not what it is called with now.
            #expect(try await groups.beginRerun(jobID: job, attempt: 2, issueURL: "u2") == FailureRerunEntry(state: .interrupted, issueURL: "u1"))
            try await groups.finishRerun(jobID: job, attempt: 2)
            #expect(try await groups.beginRerun(jobID: job, attempt: 2, issueURL: "u1").state == .recorded)
            // The next re-run of the job is another entry.
            #expect(try await groups.beginRerun(jobID: job, attempt: 5, issueURL: nil) == FailureRerunEntry(state: .new, issueURL: nil))
        }
    }

    @Test(arguments: StorageDriver.allCases) func onlyASucceededJobIsRerun(driver: StorageDriver) async throws {
        // No dedupe window: a new report of the pod makes a new job.
        try await driver.with(.immediateRetries(dedupeWindow: .zero)) { storage in
            let queue = storage.queue
            let job = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1")).job
            await #expect(throws: QueueError.invalidTransition(jobID: job.id, from: .queued, action: "rerun")) {
                try await queue.rerun(id: job.id)
            }
            let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(60), owner: "w").first)
            try await queue.complete(leased.lease, result: "{}")
            #expect(try await queue.job(id: job.id)?.rerun == false)
            let rerun = try await queue.rerun(id: job.id)
            #expect(rerun.state == .queued && rerun.rerunAttempt == 2 && rerun.finishedAt == nil)
            #expect(rerun.maxAttempts == 1 + QueueConfiguration.immediateRetries().retryPolicy.maxAttempts)
            let again = try #require(try await queue.lease(batch: 1, ttl: .seconds(60), owner: "w").first)
            #expect(again.lease.attempt == 2 && again.job.rerun)
            try await queue.complete(again.lease, result: "{}")
            // A newer job of the same pod is active: refused, like a retry.
            try await Task.sleep(for: .milliseconds(5))
            let newer = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1"))
            #expect(!newer.duplicate)
            await #expect(throws: QueueError.conflict(jobID: job.id, activeJobID: newer.job.id)) { try await queue.rerun(id: job.id) }
            await #expect(throws: QueueError.notFound(jobID: 4242)) { try await queue.rerun(id: 4242) }
        }
    }
}
