import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport

/// PostgreSQL only: reports that arrive while a batch is in flight are written together, in one
/// statement, and each caller still gets its own answer. Each test holds the `jobs` table locked
/// from another connection, so that the first batch waits and the others queue up behind it:
/// the batches' contents are then known, not left to timing.
@Suite struct PostgresGroupCommitTests {
    @Test func concurrentReportsOfOnePodMakeOneJobInOneBatch() async throws {
        try await GroupCommitFixture.with { fixture in
            let reports = (0..<12).map { _ in NewJob(namespace: "ci", pod: "same", container: "step-a") }
            let results = try await fixture.heldBack(reports).map { try $0.get() }
            #expect(Set(results.map(\.job.id)).count == 1)
            #expect(results.filter { !$0.duplicate }.count == 1)
            // Each caller sees the count as after its own report, as if written one by one.
            #expect(results.map(\.job.reportCount).sorted() == Array(1...12))
            #expect(try await fixture.queue.job(id: results[0].job.id)?.reportCount == 12)
            let statistics = await fixture.queue.enqueueStatistics()
            #expect(statistics.batches == 2 && statistics.requests == 12 && statistics.largestBatch == 11)
        }
    }

    @Test func manyPodsAtOnceGetAJobEachWithinTheBatchCap() async throws {
        try await GroupCommitFixture.with(maxBatch: 16) { fixture in
            let reports = (0..<50).map { NewJob(namespace: "ci", pod: "pod-\($0)", pipelineRun: $0 % 2 == 0 ? "run-\($0)" : nil) }
            let results = try await fixture.heldBack(reports).map { try $0.get() }
            #expect(Set(results.map(\.job.id)).count == 50)
            #expect(results.allSatisfy { !$0.duplicate && $0.job.reportCount == 1 })
            for (report, result) in zip(reports, results) {
                #expect(result.job.pod == report.pod && result.job.pipelineRun == report.pipelineRun)
            }
            #expect(try await fixture.queue.stats().total == 50)
            let statistics = await fixture.queue.enqueueStatistics()
            // One held back, then 49 in batches of at most 16.
            #expect(statistics.batches == 5 && statistics.largestBatch == 16 && statistics.requests == 50)
        }
        // Unheld, with the default limits: still one job per pod.
        try await StorageDriver.postgres.with { storage in
            let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
                for index in 0..<200 { group.addTask { try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "free-\(index)")) } }
                return try await group.reduce(into: [EnqueueResult]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.job.id)).count == 200 && results.allSatisfy { !$0.duplicate })
            #expect(try await storage.queue.stats().total == 200)
        }
    }

    @Test func aPodThatSucceededWithinTheWindowJoinsItsJobFromABatch() async throws {
        try await GroupCommitFixture.with { fixture in
            let done = try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "ok")).job
            let lease = try #require(try await fixture.queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first).lease
            try await fixture.queue.complete(lease, result: nil)
            let reports = [NewJob(namespace: "ci", pod: "first")] + (0..<3).map { _ in NewJob(namespace: "ci", pod: "ok") }
                + [NewJob(namespace: "ci", pod: "new"), NewJob(namespace: "ci", pod: "new")]
            let results = try await fixture.heldBack(reports).map { try $0.get() }
            let joined = results[1...3]
            #expect(joined.allSatisfy { $0.duplicate && $0.job.id == done.id && $0.job.state == .succeeded })
            #expect(joined.map(\.job.reportCount).sorted() == [2, 3, 4])
            #expect(try await fixture.queue.job(id: done.id)?.reportCount == 4)
            #expect(results[4].job.id == results[5].job.id && results[4].job.id != done.id)
            #expect([results[4], results[5]].filter { !$0.duplicate }.count == 1)
            #expect(try await fixture.queue.stats().total == 3)
        }
    }

    @Test func aRefusedBatchFailsEveryCallerAndWritesNothing() async throws {
        try await GroupCommitFixture.with { fixture in
            let reports = (0..<8).map { NewJob(namespace: "ci", pod: "pod-\($0 % 5)") }
            // Installed while the table is held: both batches meet it.
            let results = try await fixture.heldBack(reports, whileHeld: { connection, _ in
                try await connection.query("""
                    CREATE FUNCTION refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'jobs refused by test'; END $$
                    """, logger: fixture.logger)
                try await connection.query(
                    "CREATE TRIGGER refuse BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION refuse_jobs()", logger: fixture.logger)
            })
            for result in results {
                #expect(throws: PostgresStoreError.self) { try result.get() }
                if case .failure(let error) = result { #expect("\(error)".contains("jobs refused by test")) }
            }
            #expect(try await fixture.queue.stats().total == 0)
            try await fixture.execute("DROP TRIGGER refuse ON jobs")
            #expect(!(try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "pod-0")).duplicate))
        }
    }

    @Test func aLostConnectionFailsEveryCallerOfItsBatch() async throws {
        // A batch sent on the dying connection may get no answer at all from postgres-nio:
        // the deadline (2 s to connect + 2 × 4 s) fails it then.
        try await GroupCommitFixture.with(statementTimeout: .seconds(4)) { fixture in
            let reports = (0..<6).map { NewJob(namespace: "ci", pod: "pod-\($0)") }
            // Every batch waiting on the lock loses its server process, until all have answered.
            let results = try await fixture.heldBack(reports, whileHeld: { connection, answered in
                try await fixture.waitUntil("every caller answered", state: { "answered \(await answered.value)" }) {
                    try await fixture.terminateWaitingBackends(connection)
                    return await answered.value == reports.count
                }
            })
            #expect(results.allSatisfy { if case .failure = $0 { true } else { false } })
            #expect(try await fixture.queue.stats().total == 0)
            // The pool makes new connections: the next reports go through.
            #expect(!(try await fixture.queue.enqueue(NewJob(namespace: "ci", pod: "pod-0")).duplicate))
        }
    }

    @Test func aValueTheServerRefusesFailsOnlyItsReport() async throws {
        try await GroupCommitFixture.with { fixture in
            var reports = (0..<6).map { NewJob(namespace: "ci", pod: "pod-\($0)", pipelineRun: "run") }
            reports[3].pipelineRun = "bad\u{0}run"   // text cannot hold NUL: SQLSTATE 22021
            let results = try await fixture.heldBack(reports)
            for (index, result) in results.enumerated() {
                if index == 3 {
                    #expect(throws: PostgresStoreError.self) { try result.get() }
                } else {
                    #expect(try result.get().job.pod == "pod-\(index)")
                }
            }
            #expect(try await fixture.queue.stats().total == 5)
        }
    }
}

/// A PostgreSQL queue with one batch in flight at most, and a second connection that holds the
/// `jobs` table so that reports queue up behind a waiting batch.
struct GroupCommitFixture: Sendable {
    let queue: PostgresJobQueue
    let backend: PostgresBackend
    let logger: Logger

    /// `statementTimeout` also bounds how long a batch waits for its answer (GroupCommit's deadline).
    static func with(maxBatch: Int = 64, statementTimeout: Duration = .seconds(30),
                     _ body: (GroupCommitFixture) async throws -> Void) async throws {
        let location = try PostgresLocation(url: try await PostgresCluster.shared.createDatabase())
        var logger = Logger(label: "group-commit-tests")
        logger.logLevel = .error
        let backend = PostgresBackend(
            location: location, settings: PostgresSettings(
                poolSize: 4, connectTimeout: .seconds(2), statementTimeout: statementTimeout, enqueueBatchSize: maxBatch,
                enqueueBatchesInFlight: 1),
            logger: logger)
        let fixture = GroupCommitFixture(
            queue: PostgresJobQueue(backend: backend, configuration: .immediateRetries()), backend: backend, logger: logger)
        do {
            try await PostgresMigrator(backend: backend).migrate()
            try await body(fixture)
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
    }

    func execute(_ sql: String) async throws {
        _ = try await backend.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// Enqueues `reports` concurrently while the table is locked: the first report's batch
    /// waits for the lock and the others queue up behind it; then `whileHeld` runs on the
    /// locking connection and the lock is released. Answers in the order of `reports`.
    func heldBack(_ reports: [NewJob], whileHeld: @Sendable (PostgresConnection, AnswerCount) async throws -> Void = { _, _ in })
        async throws -> [Result<EnqueueResult, any Error>] {
        let queue = queue
        return try await heldBack(reports.count, batches: { await queue.enqueueStatistics().batches },
                                  waiting: { await queue.enqueuesWaiting() }, whileHeld: whileHeld) { index in
            try await queue.enqueue(reports[index])
        }
    }

    /// Runs `submit(0..<count)` concurrently while the `jobs` table is locked: the first call's
    /// batch (counted by `batches`) waits for the lock and the others queue up behind it
    /// (`waiting`); then `whileHeld` runs on the locking connection and the lock is released.
    /// Answers in the order of the calls.
    func heldBack<Answer: Sendable>(_ count: Int, batches: @escaping @Sendable () async -> Int,
                                    waiting: @escaping @Sendable () async -> Int,
                                    whileHeld: @Sendable (PostgresConnection, AnswerCount) async throws -> Void = { _, _ in },
                                    _ submit: @escaping @Sendable (Int) async throws -> Answer) async throws -> [Result<Answer, any Error>] {
        let answered = AnswerCount()
        let batchesBefore = await batches()
        return try await backend.client.withTransaction(logger: logger) { connection in
            try await connection.query("LOCK TABLE jobs IN EXCLUSIVE MODE", logger: logger)
            let task = Task {
                await withTaskGroup(of: (Int, Result<Answer, any Error>).self) { group in
                    for index in 0..<count {
                        group.addTask {
                            let answer: Result<Answer, any Error>
                            do { answer = .success(try await submit(index)) } catch { answer = .failure(error) }
                            await answered.add()
                            return (index, answer)
                        }
                        // The first one forms the first batch alone.
                        if index == 0 { try? await waitUntil { await batches() == batchesBefore + 1 } }
                    }
                    var answers: [Int: Result<Answer, any Error>] = [:]
                    for await (index, answer) in group { answers[index] = answer }
                    return (0..<count).map { answers[$0]! }
                }
            }
            try await waitUntil("\(count - 1) calls waiting behind the held batch", state: {
                "waiting \(await waiting()), batches \(await batches())"
            }) { await waiting() == count - 1 }
            try await whileHeld(connection, answered)
            return task
        }.value
    }

    /// Ends the server processes of statements that wait for a lock (batches held back).
    /// Statistics views are read once per transaction: the snapshot is dropped first, as
    /// `connection` stays in the locking transaction.
    func terminateWaitingBackends(_ connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT pg_stat_clear_snapshot()", logger: logger)
        _ = try await connection.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
            """, logger: logger)
    }

    func waitUntil(_ what: String = "condition", state: @Sendable () async -> String = { "" },
                   _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError("group commit test: \(what) not within 30 s (\(await state()))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Callers of `heldBack` that have their answer.
actor AnswerCount {
    private(set) var value = 0

    func add() { value += 1 }
}
