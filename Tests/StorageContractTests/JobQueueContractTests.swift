import Foundation
import Queue
import Storage
import Testing

/// The contract of `JobQueue`, run against every driver. Times are real (PostgreSQL judges
/// them by its own clock), so leases and delays are short.
@Suite struct JobQueueContractTests {
    static let failure = JobFailure(message: "boom", errorClass: "http_503", retryable: true)

    @Test(arguments: StorageDriver.allCases) func aReportOfAnActivePodJoinsItsJob(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let queue = storage.queue
            let first = try await queue.enqueue(NewJob(namespace: "ci", pod: "p", container: "step-test", pipelineRun: "run-1"))
            #expect(!first.duplicate && first.job.state == .queued && first.job.reportCount == 1 && first.job.attempts == 0)
            #expect(first.job.container == "step-test" && first.job.pipelineRun == "run-1" && first.job.source == .webhook)
            let second = try await queue.enqueue(NewJob(namespace: "ci", pod: "p", container: "step-test"))
            #expect(second.duplicate && second.job.id == first.job.id && second.job.reportCount == 2)
            // Another container of the pod, or no container named, is another report.
            let other = try await queue.enqueue(NewJob(namespace: "ci", pod: "p", container: "step-build"))
            let unnamed = try await queue.enqueue(NewJob(namespace: "ci", pod: "p"))
            #expect(Set([first.job.id, other.job.id, unnamed.job.id]).count == 3)
            #expect(unnamed.job.container == nil)
            #expect(try await queue.stats().totalReports == 4)
        }
    }

    @Test(arguments: StorageDriver.allCases) func concurrentReportsOfOnePodMakeOneJob(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let queue = storage.queue
            let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
                for _ in 0..<24 { group.addTask { try await queue.enqueue(NewJob(namespace: "ci", pod: "same", container: "step-a")) } }
                return try await group.reduce(into: [EnqueueResult]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.job.id)).count == 1)
            #expect(results.filter { !$0.duplicate }.count == 1)
            let job = try #require(try await queue.job(id: results[0].job.id))
            #expect(job.reportCount == 24)
        }
    }

    @Test(arguments: StorageDriver.allCases) func aReportAfterSuccessJoinsWithinTheWindowButNotAfterAFailure(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries()) { storage in
            let queue = storage.queue
            let done = try await queue.enqueue(NewJob(namespace: "ci", pod: "ok")).job
            let failed = try await queue.enqueue(NewJob(namespace: "ci", pod: "bad")).job
            let leased = try await queue.lease(batch: 2, ttl: .seconds(30), owner: "w")
            try await queue.complete(try #require(leased.first { $0.job.id == done.id }).lease, result: #"{"ok":true}"#)
            try await queue.fail(try #require(leased.first { $0.job.id == failed.id }).lease,
                                 failure: JobFailure(message: "no pod", errorClass: "unknown_pod", retryable: false))
            let again = try await queue.enqueue(NewJob(namespace: "ci", pod: "ok"))
            #expect(again.duplicate && again.job.id == done.id && again.job.state == .succeeded && again.job.reportCount == 2)
            let retried = try await queue.enqueue(NewJob(namespace: "ci", pod: "bad"))
            #expect(!retried.duplicate && retried.job.id != failed.id)
        }
        // Outside the window (zero here) a success absorbs nothing.
        try await driver.with(.immediateRetries(dedupeWindow: .zero)) { storage in
            let queue = storage.queue
            let done = try await queue.enqueue(NewJob(namespace: "ci", pod: "ok")).job
            let lease = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            try await queue.complete(lease, result: nil)
            try await Task.sleep(for: .milliseconds(20))
            let again = try await queue.enqueue(NewJob(namespace: "ci", pod: "ok"))
            #expect(!again.duplicate && again.job.id != done.id)
        }
    }

    @Test(arguments: StorageDriver.allCases) func invalidReportsAreRefusedWithTheField(driver: StorageDriver) async throws {
        try await driver.with { storage in
            await #expect(throws: QueueError.invalidInput(field: "namespace", message: "must be at most 63 characters (DNS-1123 label)")) {
                _ = try await storage.queue.enqueue(NewJob(namespace: String(repeating: "a", count: 64), pod: "p"))
            }
            let stats = try await storage.queue.stats()
            #expect(stats.total == 0)
        }
    }

    @Test(arguments: StorageDriver.allCases) func leasesOldestFirstAndEachJobOnce(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let queue = storage.queue
            var ids: [Int64] = []
            for index in 0..<40 { ids.append(try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id) }
            let firstBatch = try await queue.lease(batch: 3, ttl: .seconds(30), owner: "w0")
            #expect(firstBatch.map(\.job.id) == Array(ids.prefix(3)))
            #expect(firstBatch.allSatisfy { $0.job.state == .running && $0.lease.attempt == 1 && $0.lease.owner == "w0" })
            // Six workers lease the rest at the same time: no job twice, none left behind.
            let leased = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 1...6 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await queue.lease(batch: 4, ttl: .seconds(30), owner: "w\(worker)")
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.job.id)
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(leased.count == 37 && Set(leased) == Set(ids.dropFirst(3)))
            #expect(try await queue.stats().counts[.running] == 40)
            #expect(try await queue.lease(batch: 5, ttl: .seconds(30), owner: "late").isEmpty)
        }
    }

    @Test(arguments: StorageDriver.allCases) func aRestartedWorkerReclaimsItsOwnLeasesAtOnce(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries()) { storage in
            let queue = storage.queue
            let first = try await queue.enqueue(NewJob(namespace: "ci", pod: "a1")).job.id
            let second = try await queue.enqueue(NewJob(namespace: "ci", pod: "a2")).job.id
            let ownA = try await queue.lease(batch: 2, ttl: .seconds(120), owner: "A")
            #expect(Set(ownA.map(\.job.id)) == [first, second])
            let other = try await queue.enqueue(NewJob(namespace: "ci", pod: "b")).job.id
            let ownB = try #require(try await queue.lease(batch: 1, ttl: .seconds(120), owner: "B").first)
            #expect(ownB.job.id == other)
            let last = try await queue.enqueue(NewJob(namespace: "ci", pod: "a3", maxAttempts: 1)).job.id
            let lastLease = try #require(try await queue.lease(batch: 1, ttl: .seconds(120), owner: "A").first)
            #expect(lastLease.job.id == last)

            // Long before the leases expire, A's restart takes back its own jobs and nobody else's.
            #expect(try await queue.reclaimLeases(owner: "A") == [first, second, last].sorted())
            #expect(try await queue.rescueExpiredLeases().isEmpty)
            for id in [first, second] {
                let job = try #require(try await queue.job(id: id))
                #expect(job.state == .queued && job.leaseOwner == nil && job.finishedAt == nil)
                #expect(job.lastError?.contains("A") == true && job.lastError?.contains("reclaimed") == true)
                let attempt = try #require(try await queue.attempts(jobID: id).first)
                #expect(attempt.outcome == "lease_expired" && attempt.errorClass == "reclaimed" && attempt.finishedAt != nil)
            }
            // Its last attempt: dead, as the rescuer would do.
            let dead = try #require(try await queue.job(id: last))
            #expect(dead.state == .dead && dead.finishedAt != nil)
            let untouched = try #require(try await queue.job(id: other))
            #expect(untouched.state == .running && untouched.leaseOwner == "B")
            try await queue.heartbeat(ownB.lease, ttl: .seconds(120))
            #expect(try await queue.reclaimLeases(owner: "A").isEmpty)

            // The old process, were it alive, can write nothing with its leases.
            let stale = try #require(ownA.first { $0.job.id == first }).lease
            await #expect(throws: QueueError.leaseLost(jobID: first, state: .queued)) {
                try await queue.complete(stale, result: "late")
            }
            await #expect(throws: QueueError.leaseLost(jobID: first, state: .queued)) {
                try await queue.heartbeat(stale, ttl: .seconds(30))
            }
            await #expect(throws: QueueError.leaseLost(jobID: last, state: .dead)) {
                try await queue.fail(lastLease.lease, failure: Self.failure)
            }
            // The new process leases the job again as its next attempt.
            let again = try await queue.lease(batch: 2, ttl: .seconds(120), owner: "A")
            #expect(Set(again.map(\.job.id)) == [first, second] && again.allSatisfy { $0.lease.attempt == 2 })
            let current = try #require(again.first { $0.job.id == first }).lease
            await #expect(throws: QueueError.leaseLost(jobID: first, state: .running)) {
                try await queue.release(stale)
            }
            try await queue.complete(current, result: "fresh")
            #expect(try await queue.attempts(jobID: first).map(\.outcome) == ["lease_expired", "succeeded"])
        }
    }

    @Test(arguments: StorageDriver.allCases) func outcomesNeedTheCurrentLease(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries()) { storage in
            let queue = storage.queue
            let id = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let stale = try #require(try await queue.lease(batch: 1, ttl: .milliseconds(300), owner: "slow").first).lease
            try await queue.heartbeat(stale, ttl: .milliseconds(300))
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await queue.rescueExpiredLeases() == [id])
            let rescued = try #require(try await queue.job(id: id))
            #expect(rescued.state == .queued && rescued.lastError?.contains("slow") == true)
            let current = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "fast").first).lease
            #expect(current.attempt == 2 && current.token != stale.token)
            // The first worker wakes up: every write with its lease is refused.
            await #expect(throws: QueueError.leaseLost(jobID: id, state: .running)) {
                try await queue.complete(stale, result: "late")
            }
            await #expect(throws: QueueError.leaseLost(jobID: id, state: .running)) {
                try await queue.heartbeat(stale, ttl: .seconds(30))
            }
            await #expect(throws: QueueError.leaseLost(jobID: id, state: .running)) {
                try await queue.fail(stale, failure: Self.failure)
            }
            await #expect(throws: QueueError.leaseLost(jobID: id, state: .running)) {
                try await queue.release(stale)
            }
            try await queue.complete(current, result: "fresh")
            let job = try #require(try await queue.job(id: id))
            #expect(job.state == .succeeded && job.result == "fresh" && job.leaseOwner == nil && job.finishedAt != nil)
            let attempts = try await queue.attempts(jobID: id)
            #expect(attempts.map(\.outcome) == ["lease_expired", "succeeded"])
            #expect(attempts.map(\.worker) == ["slow", "fast"])
            await #expect(throws: QueueError.notFound(jobID: 424_242)) {
                try await queue.heartbeat(Lease(jobID: 424_242, token: 1, attempt: 1, owner: "x"), ttl: .seconds(1))
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func failuresRetryThenDieAndOperatorsRevive(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries(maxAttempts: 2)) { storage in
            let queue = storage.queue
            let id = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let first = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            #expect(try await queue.fail(first, failure: Self.failure) == .queued)
            let second = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            #expect(second.attempt == 2)
            #expect(try await queue.fail(second, failure: Self.failure) == .dead)
            let dead = try #require(try await queue.job(id: id))
            #expect(dead.state == .dead && dead.lastError == "boom" && dead.finishedAt != nil)
            #expect(try await queue.attempts(jobID: id).map(\.outcome) == ["retry", "dead"])
            #expect(try await queue.attempts(jobID: id).map(\.errorClass) == ["http_503", "http_503"])

            #expect(try await queue.retryAllDead() == [id])
            let revived = try #require(try await queue.job(id: id))
            #expect(revived.state == .queued && revived.maxAttempts == 4 && revived.finishedAt == nil)
            let third = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            #expect(third.attempt == 3)
            #expect(try await queue.fail(third, failure: JobFailure(message: "401", errorClass: "http_401", retryable: false)) == .failed)
            await #expect(throws: QueueError.invalidTransition(jobID: id, from: .failed, action: "cancel")) {
                _ = try await queue.cancel(id: id)
            }
            // A newer job of the same pod blocks a retry of the old one.
            let newer = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            await #expect(throws: QueueError.conflict(jobID: id, activeJobID: newer)) {
                _ = try await queue.retry(id: id)
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func aRetryWaitsForItsDelay(driver: StorageDriver) async throws {
        let configuration = QueueConfiguration(retryPolicy: RetryPolicy(base: .seconds(60), cap: .seconds(60), jitter: 0, maxAttempts: 5))
        try await driver.with(configuration) { storage in
            let queue = storage.queue
            _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p"))
            let lease = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            #expect(try await queue.fail(lease, failure: Self.failure) == .queued)
            #expect(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").isEmpty)
            let job = try #require(try await queue.job(id: lease.jobID))
            #expect(job.runAfter.timeIntervalSince(job.updatedAt) > 55)
        }
    }

    @Test(arguments: StorageDriver.allCases) func releaseAndCancel(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries(maxAttempts: 1)) { storage in
            let queue = storage.queue
            let id = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let first = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            try await queue.release(first)
            // Released without using up the budget: it runs again.
            let second = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            #expect(second.attempt == 2)
            let cancelled = try await queue.cancel(id: id)
            #expect(cancelled.state == .cancelled && cancelled.leaseOwner == nil)
            await #expect(throws: QueueError.leaseLost(jobID: id, state: .cancelled)) {
                try await queue.complete(second, result: nil)
            }
            #expect(try await queue.attempts(jobID: id).map(\.outcome) == ["released", "failed"])
            let revived = try await queue.retry(id: id)
            #expect(revived.state == .queued)
            await #expect(throws: QueueError.notFound(jobID: 999_999)) { _ = try await queue.cancel(id: 999_999) }
        }
    }

    @Test(arguments: StorageDriver.allCases) func listPagesNewestFirstWithFilters(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let queue = storage.queue
            var ids: [Int64] = []
            for index in 0..<5 {
                ids.append(try await queue.enqueue(NewJob(namespace: index < 3 ? "a" : "b", pod: "p\(index)")).job.id)
            }
            _ = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
            let page = try await queue.list(JobFilter(limit: 2))
            #expect(page.jobs.map(\.id) == [ids[4], ids[3]] && page.nextCursor == ids[3])
            let next = try await queue.list(JobFilter(limit: 2, before: page.nextCursor))
            #expect(next.jobs.map(\.id) == [ids[2], ids[1]])
            #expect(try await queue.list(JobFilter(namespace: "a", limit: 10)).jobs.map(\.id) == [ids[2], ids[1], ids[0]])
            #expect(try await queue.list(JobFilter(state: .running, limit: 10)).jobs.map(\.id) == [ids[0]])
            #expect(try await queue.list(JobFilter(state: .queued, namespace: "a", limit: 10)).nextCursor == nil)
            await #expect(throws: QueueError.self) { _ = try await queue.list(JobFilter(limit: 0)) }
            let stats = try await queue.stats()
            #expect(stats.counts[.queued] == 4 && stats.counts[.running] == 1 && stats.totalReports == 5)
            #expect(stats.oldestQueuedAt != nil)
        }
    }

    @Test(arguments: StorageDriver.allCases) func listFindsTextLiterallyAndJobsOfAGroup(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries(maxAttempts: 1)) { storage in
            let queue = storage.queue
            let build = try await queue.enqueue(NewJob(namespace: "ci", pod: "build-app-x1", container: "step-compile")).job
            let tests = try await queue.enqueue(NewJob(namespace: "ci", pod: "unit-x2", pipelineRun: "nightly-run")).job
            let other = try await queue.enqueue(NewJob(namespace: "web", pod: "lint-x3", task: "lint")).job
            let leased = try #require(try await queue.lease(batch: 3, ttl: .seconds(30), owner: "w").first { $0.job.id == other.id })
            try await queue.fail(leased.lease, failure: JobFailure(message: "coverage 50%_of target", errorClass: "x", retryable: false))
            func ids(_ filter: JobFilter) async throws -> [Int64] { try await queue.list(filter).jobs.map(\.id) }
            #expect(try await ids(JobFilter(text: "BUILD-App")) == [build.id])
            #expect(try await ids(JobFilter(text: "COMPILE")) == [build.id])
            #expect(try await ids(JobFilter(text: "nightly")) == [tests.id])
            #expect(try await ids(JobFilter(text: "lint")) == [other.id])
            // Taken literally: % and _ are no wildcards.
            #expect(try await ids(JobFilter(text: "50%_of")) == [other.id])
            #expect(try await ids(JobFilter(text: "5%f")).isEmpty)
            #expect(try await ids(JobFilter(limit: 1, text: "x")).count == 1)
            #expect(try await ids(JobFilter(namespace: "ci", text: "x")) == [tests.id, build.id])
            #expect(try await ids(JobFilter(text: "")) == [other.id, tests.id, build.id])

            let group = try await storage.groups.claim(fingerprint: "fp-1", namespace: "ci", jobID: tests.id)
            guard case .createIssue(let created, _) = group else { Issue.record("no claim: \(group)"); return }
            #expect(try await ids(JobFilter(groupID: created.id)) == [tests.id])
            #expect(try await ids(JobFilter(text: "fp-1")) == [tests.id])
            #expect(try await ids(JobFilter(groupID: created.id + 1000)).isEmpty)
        }
    }

    @Test(arguments: StorageDriver.allCases) func activityCountsJobsCreatedAndFinishedSince(driver: StorageDriver) async throws {
        try await driver.with(.immediateRetries(maxAttempts: 1)) { storage in
            let queue = storage.queue
            let before = Date().addingTimeInterval(-60)
            for index in 0..<4 { _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p\(index)")) }
            let leased = try await queue.lease(batch: 3, ttl: .seconds(30), owner: "w")
            try await queue.complete(leased[0].lease, result: nil)
            try await queue.complete(leased[1].lease, result: nil)
            try await queue.fail(leased[2].lease, failure: JobFailure(message: "no", errorClass: "x", retryable: false))
            let activity = try await queue.activity(since: before)
            #expect(activity.created == 4)
            #expect(activity.finished == [.succeeded: 2, .failed: 1])
            let later = try await queue.activity(since: Date().addingTimeInterval(3600))
            #expect(later.created == 0 && later.finished.isEmpty)
        }
    }
}
