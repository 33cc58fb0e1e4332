import Foundation
import Queue
import Storage
import Testing
import Worker

/// The contract of `FailureGroupStore` (failure groups and the side-effect ledger), run
/// against every driver.
@Suite struct FailureGroupStoreContractTests {
    /// Runs `body` with `jobs` queued jobs on fresh storage of `driver`.
    func withJobs(_ driver: StorageDriver, _ jobs: Int,
                  _ body: (any JobQueue, any FailureGroupStore, [Int64]) async throws -> Void) async throws {
        try await driver.with { storage in
            var ids: [Int64] = []
            for index in 0..<jobs {
                ids.append(try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id)
            }
            try await body(storage.queue, storage.groups, ids)
        }
    }

    @Test(arguments: StorageDriver.allCases) func onlyOneJobCreatesTheIssueOfANewFailure(driver: StorageDriver) async throws {
        try await withJobs(driver, 10) { queue, groups, ids in
            _ = try await queue.lease(batch: 10, ttl: .seconds(60), owner: "w")
            let claims = try await withThrowingTaskGroup(of: FailureGroupClaim.self) { group in
                for id in ids { group.addTask { try await groups.claim(fingerprint: "f1", namespace: "ci", jobID: id) } }
                return try await group.reduce(into: [FailureGroupClaim]()) { $0.append($1) }
            }
            let creators = claims.filter { if case .createIssue = $0 { true } else { false } }
            #expect(creators.count == 1)
            #expect(claims.filter { if case .inProgress = $0 { true } else { false } }.count == 9)

            guard case .createIssue(let group, let interrupted) = creators[0] else { return }
            #expect(!interrupted)
            let recorded = try await groups.recordIssue(groupID: group.id, fingerprint: "f1", url: "https://gitea/i/1", number: 1, title: "t")
            #expect(recorded.issueURL == "https://gitea/i/1" && recorded.occurrences == 1)
            // Everyone else now finds the issue.
            guard case .existingIssue(let existing) = try await groups.claim(fingerprint: "f1", namespace: "ci", jobID: ids[5]) else {
                Issue.record("expected the existing issue"); return
            }
            #expect(try await groups.beginOccurrence(jobID: ids[5]) == .new)
            #expect(try await groups.beginOccurrence(jobID: ids[5]) == .interrupted)
            #expect(try await groups.recordOccurrence(groupID: existing.id, jobID: ids[5]).occurrences == 2)
            // A retry of the same job counts nothing twice.
            #expect(try await groups.beginOccurrence(jobID: ids[5]) == .recorded)
            #expect(try await groups.recordOccurrence(groupID: existing.id, jobID: ids[5]).occurrences == 2)
            #expect(try await queue.job(id: ids[5])?.fingerprint == "f1")
            #expect(try await queue.job(id: ids[5])?.groupID == group.id)
        }
    }

    @Test(arguments: StorageDriver.allCases) func theCreatorsRetryAfterRecordingIsNotAnOccurrence(driver: StorageDriver) async throws {
        // The issue was recorded, then the worker died before completing the job: its retry
        // must not comment "seen again" on its own issue; another job's report still does.
        try await withJobs(driver, 2) { queue, groups, ids in
            _ = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "w")
            guard case .createIssue(let group, false) = try await groups.claim(fingerprint: "f3", namespace: "ci", jobID: ids[0]) else {
                Issue.record("first claim should create"); return
            }
            _ = try await groups.recordIssue(groupID: group.id, fingerprint: "f3", url: "u", number: 1, title: "t")
            guard case .createdByThisJob(let recorded) = try await groups.claim(fingerprint: "f3", namespace: "ci", jobID: ids[0]) else {
                Issue.record("the creator's retry should find its own issue"); return
            }
            #expect(recorded.issueURL == "u" && recorded.occurrences == 1)
            guard case .existingIssue = try await groups.claim(fingerprint: "f3", namespace: "ci", jobID: ids[1]) else {
                Issue.record("another job's report is an occurrence"); return
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func aJobWhoseFingerprintChangedLetsGoOfItsEarlierCreation(driver: StorageDriver) async throws {
        try await withJobs(driver, 2) { queue, groups, ids in
            _ = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "w")
            guard case .createIssue(_, false) = try await groups.claim(fingerprint: "old", namespace: "ci", jobID: ids[0]) else {
                Issue.record("first claim should create"); return
            }
            guard case .inProgress(ids[0]) = try await groups.claim(fingerprint: "old", namespace: "ci", jobID: ids[1]) else {
                Issue.record("should wait for the creator"); return
            }
            // The first job's next attempt sees more log and another fingerprint.
            guard case .createIssue(_, false) = try await groups.claim(fingerprint: "new", namespace: "ci", jobID: ids[0]) else {
                Issue.record("the new fingerprint is a new failure"); return
            }
            // The waiting job takes the old creation over and looks for an issue it may have made.
            guard case .createIssue(_, true) = try await groups.claim(fingerprint: "old", namespace: "ci", jobID: ids[1]) else {
                Issue.record("the old creation should be taken over"); return
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func onlyOneJobReplacesAClosedIssue(driver: StorageDriver) async throws {
        try await withJobs(driver, 4) { queue, groups, ids in
            _ = try await queue.lease(batch: 4, ttl: .seconds(60), owner: "w")
            guard case .createIssue(let group, false) = try await groups.claim(fingerprint: "f4", namespace: "ci", jobID: ids[0]) else {
                Issue.record("first claim should create"); return
            }
            let recorded = try await groups.recordIssue(groupID: group.id, fingerprint: "f4", url: "old", number: 1, title: "t")
            // Three later reports find the issue closed at the same time.
            let claims = try await withThrowingTaskGroup(of: FailureGroupClaim.self) { tasks in
                for id in ids.dropFirst() { tasks.addTask { try await groups.replaceIssue(of: recorded, jobID: id) } }
                return try await tasks.reduce(into: [FailureGroupClaim]()) { $0.append($1) }
            }
            #expect(claims.filter { if case .createIssue(_, false) = $0 { true } else { false } }.count == 1)
            #expect(claims.filter { if case .inProgress = $0 { true } else { false } }.count == 2)
            #expect(try await groups.group(id: group.id)?.issueURL == nil)
        }
    }

    @Test(arguments: StorageDriver.allCases) func anInterruptedCreationIsResumedByTheRetryOrTakenOverFromAGoneJob(driver: StorageDriver) async throws {
        try await withJobs(driver, 2) { queue, groups, ids in
            let leased = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "w")
            guard case .createIssue(_, false) = try await groups.claim(fingerprint: "f2", namespace: "ci", jobID: ids[0]) else {
                Issue.record("first claim should create"); return
            }
            // The same job's next attempt: it may have created the issue before crashing.
            guard case .createIssue(_, true) = try await groups.claim(fingerprint: "f2", namespace: "ci", jobID: ids[0]) else {
                Issue.record("retry should resume an interrupted creation"); return
            }
            // While job 1 is active, job 2 waits; once job 1 is dead, job 2 takes over.
            guard case .inProgress(ids[0]) = try await groups.claim(fingerprint: "f2", namespace: "ci", jobID: ids[1]) else {
                Issue.record("should wait for the active creator"); return
            }
            try await queue.fail(leased.first { $0.job.id == ids[0] }!.lease,
                                 failure: JobFailure(message: "bad", errorClass: "x", retryable: false))
            guard case .createIssue(_, true) = try await groups.claim(fingerprint: "f2", namespace: "ci", jobID: ids[1]) else {
                Issue.record("should take over from the failed job"); return
            }
        }
    }
}
