import Foundation
import Queue
import Store
import Testing
import TestSupport
@testable import Worker

@Suite struct FailureGroupStoreTests {
    let directory = TemporaryDirectory()

    func setUp(jobs: Int) async throws -> (SQLiteJobQueue, any FailureGroupStore, [Int64]) {
        let database = try Database.open(path: directory.path("groups.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        var ids: [Int64] = []
        for index in 0..<jobs { ids.append(try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id) }
        return (queue, SQLiteFailureGroupStore(database: database), ids)
    }

    @Test func onlyOneJobCreatesTheIssueOfANewFailure() async throws {
        let (queue, groups, ids) = try await setUp(jobs: 10)
        _ = try await queue.lease(batch: 10, ttl: .seconds(60), owner: "w")
        let claims = try await withThrowingTaskGroup(of: FailureGroupStore.Claim.self) { group in
            for id in ids { group.addTask { try await groups.claim(fingerprint: "f1", namespace: "ci", jobID: id) } }
            return try await group.reduce(into: [FailureGroupStore.Claim]()) { $0.append($1) }
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

    @Test func theCreatorsRetryAfterRecordingIsNotAnOccurrence() async throws {
        // The issue was recorded, then the worker died before completing the job: its retry
        // must not comment "seen again" on its own issue; another job's report still does.
        let (queue, groups, ids) = try await setUp(jobs: 2)
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

    @Test func aJobWhoseFingerprintChangedLetsGoOfItsEarlierCreation() async throws {
        let (queue, groups, ids) = try await setUp(jobs: 2)
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

    @Test func onlyOneJobReplacesAClosedIssue() async throws {
        let (queue, groups, ids) = try await setUp(jobs: 4)
        _ = try await queue.lease(batch: 4, ttl: .seconds(60), owner: "w")
        guard case .createIssue(let group, false) = try await groups.claim(fingerprint: "f4", namespace: "ci", jobID: ids[0]) else {
            Issue.record("first claim should create"); return
        }
        let recorded = try await groups.recordIssue(groupID: group.id, fingerprint: "f4", url: "old", number: 1, title: "t")
        // Three later reports find the issue closed at the same time.
        let claims = try await withThrowingTaskGroup(of: FailureGroupStore.Claim.self) { tasks in
            for id in ids.dropFirst() { tasks.addTask { try await groups.replaceIssue(of: recorded, jobID: id) } }
            return try await tasks.reduce(into: [FailureGroupStore.Claim]()) { $0.append($1) }
        }
        #expect(claims.filter { if case .createIssue(_, false) = $0 { true } else { false } }.count == 1)
        #expect(claims.filter { if case .inProgress = $0 { true } else { false } }.count == 2)
        #expect(try await groups.group(id: group.id)?.issueURL == nil)
    }

    @Test func anInterruptedCreationIsResumedByTheRetryOrTakenOverFromAGoneJob() async throws {
        let (queue, groups, ids) = try await setUp(jobs: 2)
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
