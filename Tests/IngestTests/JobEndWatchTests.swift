import Foundation
import Queue
import Store
import Synchronization
import Testing
import TestSupport
@testable import Ingest

/// Requests held by `?wait=` are answered when their job ends, woken by a job-end signal;
/// they do not each poll the database.
@Suite struct JobEndWatchTests {
    static let report = #"{"namespace": "ci", "pod_name": "build-pod-1", "container_name": "step-build"}"#

    /// A fallback far beyond the bounds below: an answer within them came from a signal.
    static let noFallback = IngestConfiguration(waitPollInterval: .seconds(120))

    @Test func anEndInThisProcessAnswersTheHeldRequestAtOnce() async throws {
        let ingest = try await IngestFixture(configuration: Self.noFallback)
        async let answer = ingest.post("/report-failure?wait=60", json: Self.report)
        let leased = try await Self.leaseWhenQueued(ingest.queue)
        let ended = ContinuousClock.now
        try await ingest.queue.complete(leased.lease, result: #"{"issue_url": "https://gitea.example/o/r/issues/3"}"#)
        let response = try await answer
        #expect(response.status == 200)
        #expect(try response.json()["result"] as? String == "Issue created: https://gitea.example/o/r/issues/3")
        // Immediate in practice; the bound only has to stay far below the 120 s fallback.
        #expect(ContinuousClock.now - ended < .seconds(20))
    }

    @Test func anEndInAnotherProcessIsSeenThroughTheFile() async throws {
        let ingest = try await IngestFixture(configuration: Self.noFallback)
        // A second connection to the file stands for the worker container of the chart's pod.
        let worker = SQLiteJobQueue(database: try Database.open(path: try #require(ingest.database).path))
        async let answer = ingest.post("/report-failure?wait=60", json: Self.report)
        let leased = try await Self.leaseWhenQueued(worker)
        let ended = ContinuousClock.now
        try await worker.fail(leased.lease, failure: JobFailure(message: "pod not found", errorClass: "unknown_pod", retryable: false))
        let response = try await answer
        #expect(try response.json()["status"] as? String == "error")
        #expect(ContinuousClock.now - ended < .seconds(20))
    }

    @Test func heldRequestsDoNotPollWhileNothingEnds() async throws {
        let looks = LookCounter()
        let (signals, signal) = AsyncStream.makeStream(of: Void.self)
        let watch = JobEndWatch(
            lookUp: { id in looks.look(id) }, signals: { signals }, fallbackInterval: .seconds(120))
        let holders = Task {
            try await withThrowingTaskGroup(of: Job?.self) { group in
                for id in Int64(1)...20 { group.addTask { try await watch.wait(for: id, timeout: .seconds(60)) } }
                return try await group.reduce(into: [Job?]()) { $0.append($1) }
            }
        }
        // Each holder looks once as it starts, and the watch looks again for the holders that
        // joined during its last look: wait until a second passes without a look (on a loaded
        // machine those looks can come well after the twentieth holder's).
        var settled = looks.count
        var quietSince = ContinuousClock.now
        let giveUp = ContinuousClock.now + .seconds(30)
        while settled < 20 || ContinuousClock.now - quietSince < .seconds(1) {
            try #require(ContinuousClock.now < giveUp, "the holders kept looking: \(looks.count) looks in 30 s")
            try await Task.sleep(for: .milliseconds(20))
            if looks.count != settled { (settled, quietSince) = (looks.count, .now) }
        }
        try await Task.sleep(for: .seconds(2))
        // A poll per holder every 250 ms would have made 160 looks in these two seconds; one
        // late round for the last joiners (20) is allowed, in case the quiet second above was
        // this task's and not the watch's.
        #expect(looks.count - settled <= 20, "\(looks.count - settled) looks while no job ended")

        let beforeSignal = looks.count
        looks.endAll()
        signal.yield()
        let answers = try await holders.value
        #expect(answers.count == 20 && answers.allSatisfy { $0?.state == .succeeded })
        // One look of all twenty after the signal (a second one at most, racing the first's end).
        #expect(looks.count - beforeSignal <= 40, "\(looks.count - beforeSignal) lookups to answer 20 holders")
    }

    @Test func aHeldRequestEndsAtItsTimeoutOrWithTheQueuesError() async throws {
        let looks = LookCounter()
        let watch = JobEndWatch(lookUp: { id in looks.look(id) }, signals: nil, fallbackInterval: .milliseconds(50))
        #expect(try await watch.wait(for: 1, timeout: .milliseconds(200)) == nil)
        await #expect(throws: QueueError.notFound(jobID: 404)) { try await watch.wait(for: 404, timeout: .seconds(5)) }
        // A job that disappears while held (pruned) ends the wait with the same error.
        let vanished = Task { try await watch.wait(for: 7, timeout: .seconds(30)) }
        while looks.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        looks.forget(7)
        await #expect(throws: QueueError.notFound(jobID: 7)) { try await vanished.value }
    }

    @Test func aCancelledRequestStopsWaiting() async throws {
        let watch = JobEndWatch(lookUp: { id in LookCounter.running(id) }, signals: nil, fallbackInterval: .seconds(120))
        let held = Task { try await watch.wait(for: 1, timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        held.cancel()
        #expect(try await held.value == nil)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    static func leaseWhenQueued(_ queue: any JobQueue) async throws -> LeasedJob {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let leased = try await queue.lease(batch: 1, ttl: .seconds(60), owner: "test-worker").first { return leased }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSupportError("the held report made no job within 30 s")
    }
}

/// A job table in memory for the watch: every job runs until `endAll`; counts lookups.
final class LookCounter: Sendable {
    private let state = Mutex<(count: Int, ended: Bool, forgotten: Set<Int64>)>((0, false, []))

    var count: Int { state.withLock { $0.count } }

    func look(_ id: Int64) -> Job? {
        state.withLock { state in
            state.count += 1
            if id == 404 || state.forgotten.contains(id) { return nil }
            var job = Self.running(id)
            if state.ended { job?.state = .succeeded }
            return job
        }
    }

    func endAll() { state.withLock { $0.ended = true } }
    func forget(_ id: Int64) { _ = state.withLock { $0.forgotten.insert(id) } }

    static func running(_ id: Int64) -> Job? {
        Job(id: id, namespace: "ci", pod: "p\(id)", container: nil, pipelineRun: nil, task: nil, source: .webhook, state: .running,
            attempts: 1, maxAttempts: 3, runAfter: Date(), leaseOwner: "w", leaseExpiresAt: nil, lastError: nil, result: nil,
            fingerprint: nil, groupID: nil, reportCount: 1, createdAt: Date(), updatedAt: Date(), finishedAt: nil)
    }
}
