import Foundation
import Queue
import Storage
import Testing
import Worker

/// Every failure-group and ledger write the worker makes is fenced by the job's lease: once a
/// stalled worker's lease is taken back, it can neither claim, record an issue, begin or count
/// an occurrence, nor touch a re-run's entry, on either driver; the job's new lease can.
@Suite struct FailureGroupFencingContractTests {
    @Test(arguments: StorageDriver.allCases) func aWorkerWhoseLeaseWasTakenBackWritesNothing(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries()) { storage in
            let queue = storage.queue
            let id = try await queue.enqueue(NewJob(namespace: "ci", pod: "p0")).job.id
            let stale = try #require(try await queue.lease(batch: 1, ttl: .seconds(60), owner: "stalled").first).lease
            let old = storage.groups.fenced(by: stale)
            // While the lease holds, fenced writes go through.
            guard case .createIssue(let group, false) = try await old.claim(fingerprint: "f", namespace: "ci", jobID: id) else {
                Issue.record("the lease holder should create the issue"); return
            }

            // The worker stalls; its lease is taken back (what the rescuer does after expiry)
            // and another worker leases the job.
            #expect(try await queue.reclaimLeases(owner: "stalled") == [id])
            let fresh = try #require(try await queue.lease(batch: 1, ttl: .seconds(60), owner: "other").first).lease
            #expect(fresh.jobID == id && fresh.token != stale.token)

            func expectLeaseLost(_ what: String, _ write: () async throws -> Void) async {
                do {
                    try await write()
                    Issue.record("\(what) with a lost lease was accepted")
                } catch QueueError.leaseLost(let job, let state) {
                    #expect(job == id && state == .running)
                } catch {
                    Issue.record("\(what): expected leaseLost, got \(error)")
                }
            }
            await expectLeaseLost("claim") { _ = try await old.claim(fingerprint: "f", namespace: "ci", jobID: id) }
            await expectLeaseLost("replaceIssue") { _ = try await old.replaceIssue(of: group, jobID: id) }
            await expectLeaseLost("recordIssue") {
                _ = try await old.recordIssue(groupID: group.id, fingerprint: "f", url: "https://gitea/i/9", number: 9, title: "t")
            }
            await expectLeaseLost("beginOccurrence") { _ = try await old.beginOccurrence(jobID: id) }
            await expectLeaseLost("recordOccurrence") { _ = try await old.recordOccurrence(groupID: group.id, jobID: id) }
            await expectLeaseLost("beginRerun") { _ = try await old.beginRerun(jobID: id, attempt: 1, issueURL: nil) }
            await expectLeaseLost("finishRerun") { try await old.finishRerun(jobID: id, attempt: 1) }

            // Nothing changed: no issue, no count, no ledger entry of an occurrence.
            let unchanged = try #require(try await storage.groups.group(id: group.id))
            #expect(unchanged.issueURL == nil && unchanged.occurrences == 0)
            #expect(try await storage.groups.occurrenceRecorded(jobID: id) == false)

            // The job's new lease carries on where the old attempt left off.
            let current = storage.groups.fenced(by: fresh)
            guard case .createIssue(_, true) = try await current.claim(fingerprint: "f", namespace: "ci", jobID: id) else {
                Issue.record("the new lease should take over the interrupted creation"); return
            }
            let recorded = try await current.recordIssue(groupID: group.id, fingerprint: "f", url: "https://gitea/i/1", number: 1, title: "t")
            #expect(recorded.issueURL == "https://gitea/i/1" && recorded.occurrences == 1)

            // A finished job fences out even its last lease holder.
            try await queue.complete(fresh, result: nil)
            do {
                _ = try await current.beginOccurrence(jobID: id)
                Issue.record("a write after the job succeeded was accepted")
            } catch QueueError.leaseLost(_, let state) {
                #expect(state == .succeeded)
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func unfencedOperatorWritesStillWork(driver: StorageDriver) async throws {
        // `agentctl groups reset` names no lease: the store it uses is not fenced.
        try await driver.with { storage in
            let id = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p0")).job.id
            guard case .createIssue(let group, false) = try await storage.groups.claim(fingerprint: "g", namespace: "ci", jobID: id) else {
                Issue.record("unfenced claim should create"); return
            }
            _ = try await storage.groups.recordIssue(groupID: group.id, fingerprint: "g", url: "u", number: 1, title: "t")
            #expect(try await storage.groups.reset(groupID: group.id, force: true).issueURL == nil)
        }
    }
}
