import Foundation
import Logging
import Queue
import Store
import Synchronization
import Testing
import TestSupport
@testable import Worker

extension Logger {
    /// Tests assert on state, not on log lines; keep their output readable.
    static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}

/// Log lines a test reads back.
final class LogRecord: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ line: String) { storage.withLock { $0.append(line) } }
}

/// Keeps every log line, with its metadata, in a `LogRecord`.
struct RecordingLogHandler: LogHandler {
    let record: LogRecord
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        record.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
    }
}

/// A handler whose behaviour each test scripts.
struct ScriptedHandler: JobHandler {
    let body: @Sendable (LeasedJob) async throws -> String?
    func run(_ job: LeasedJob, logger: Logger) async throws -> String? { try await body(job) }
}

struct ScriptedFailure: JobFailureConvertible {
    let jobFailure: JobFailure
}

/// Counts jobs running at once.
final class Concurrency: Sendable {
    private let state = Mutex((now: 0, peak: 0))
    func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

@Suite struct WorkerTests {
    let directory = TemporaryDirectory()

    func makeQueue(maxAttempts: Int = 3) throws -> SQLiteJobQueue {
        SQLiteJobQueue(
            database: try Database.open(path: directory.path("worker.sqlite")),
            configuration: QueueConfiguration(retryPolicy: RetryPolicy(base: .milliseconds(20), cap: .seconds(1), jitter: 0, maxAttempts: maxAttempts)))
    }

    /// The default lease outlives a stall of the whole test process (CPU-bound suites holding
    /// both cooperative threads of a 2-core CI machine for seconds expired 5 s leases there);
    /// tests of expiry pass a short `ttl` of their own.
    func configuration(concurrency: Int = 4, ttl: Duration = .seconds(60), grace: Duration = .seconds(5)) -> WorkerConfiguration {
        WorkerConfiguration(concurrency: concurrency, leaseTTL: ttl, pollInterval: .milliseconds(10),
                            rescueInterval: .milliseconds(50), shutdownGrace: grace, owner: "test-worker")
    }

    func enqueue(_ queue: SQLiteJobQueue, _ count: Int) async throws -> [Int64] {
        var ids: [Int64] = []
        for index in 0..<count { ids.append(try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id) }
        return ids
    }

    /// Runs the worker until `done` holds (or 120 s pass: a loaded suite can stall it for
    /// seconds), then stops it; the test's assertions then say what was not done.
    func run(_ worker: WorkerService, until done: @escaping @Sendable () async throws -> Bool) async throws {
        let task = Task { try await worker.run() }
        let deadline = ContinuousClock.now + .seconds(120)
        while try await !done() {
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        worker.stop()
        try await task.value
    }

    func allFinished(_ queue: SQLiteJobQueue) async throws -> Bool {
        let counts = try await queue.stats().counts
        return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0
    }

    @Test func runsEveryJobOnceWithinTheConcurrencyLimit() async throws {
        let queue = try makeQueue()
        let ids = try await enqueue(queue, 30)
        let concurrency = Concurrency()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { job in
            concurrency.enter()
            defer { concurrency.leave() }
            try await Task.sleep(for: .milliseconds(20))
            return #"{"issue_url": "https://gitea/issues/\#(job.job.id)"}"#
        }, configuration: configuration(concurrency: 4), logger: .quiet)
        try await run(worker) { try await allFinished(queue) }
        for id in ids {
            let job = try #require(try await queue.job(id: id))
            #expect(job.state == .succeeded && job.attempts == 1 && job.result?.contains("/issues/\(id)") == true)
        }
        #expect(concurrency.peak <= 4 && concurrency.peak >= 2)
    }

    @Test func retryableFailuresAreRetriedWithBackoff() async throws {
        let queue = try makeQueue()
        let id = try await enqueue(queue, 1)[0]
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { job in
            if job.lease.attempt < 3 {
                throw ScriptedFailure(jobFailure: JobFailure(message: "LLM answered 500", errorClass: "llm_http_500", retryable: true))
            }
            return "{}"
        }, configuration: configuration(), logger: .quiet)
        try await run(worker) { try await allFinished(queue) }
        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .succeeded && job.attempts == 3)
        let attempts = try await queue.attempts(jobID: id)
        #expect(attempts.map(\.outcome) == ["retry", "retry", "succeeded"])
        // The second try waited at least the policy's first delay after the first failed.
        let gap = attempts[1].startedAt.timeIntervalSince(attempts[0].finishedAt!)
        #expect(gap >= 0.019, "gap \(gap)")
    }

    @Test func permanentFailuresFailAndExhaustedRetriesDie() async throws {
        let queue = try makeQueue(maxAttempts: 2)
        let ids = try await enqueue(queue, 2)
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { job in
            if job.job.id == ids[0] {
                throw ScriptedFailure(jobFailure: JobFailure(message: "pod not found", errorClass: "unknown_pod", retryable: false))
            }
            throw URLError(.timedOut)
        }, configuration: configuration(), logger: .quiet)
        try await run(worker) { try await allFinished(queue) }
        let failed = try #require(try await queue.job(id: ids[0]))
        #expect(failed.state == .failed && failed.lastError == "pod not found" && failed.attempts == 1)
        let dead = try #require(try await queue.job(id: ids[1]))
        #expect(dead.state == .dead && dead.attempts == 2 && dead.lastError?.isEmpty == false)
        #expect(try await queue.attempts(jobID: ids[1]).last?.errorClass == "unexpected")
    }

    @Test func errorTextsAreRedactedAndCappedBeforeTheyAreStored() async throws {
        let queue = try makeQueue(maxAttempts: 1)
        let id = try await enqueue(queue, 1)[0]
        let secret = "ghp_" + String(repeating: "a1B2", count: 9)
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            let message = "pods_log failed: clone with https://bot:\(secret)@git.example.com refused; password=hunter2hunter2 "
                + String(repeating: "x", count: 5000)
            throw ScriptedFailure(jobFailure: JobFailure(message: message, errorClass: "mcp_tool_error", retryable: false))
        }, configuration: configuration(), logger: .quiet)
        try await run(worker) { try await allFinished(queue) }
        let job = try #require(try await queue.job(id: id))
        let stored = try #require(job.lastError)
        #expect(stored.hasPrefix("pods_log failed: clone with https://bot:"))
        #expect(!stored.contains(secret) && !stored.contains("hunter2hunter2") && stored.contains("[REDACTED:"))
        #expect(stored.count <= JobExecution.maxErrorCharacters)
        let attempt = try #require(try await queue.attempts(jobID: id).last)
        #expect(attempt.error.map { !$0.contains(secret) } == true)
    }

    @Test func aBusyDatabaseDoesNotLoseAFinishedJobsOutcome() async throws {
        // Another process holds the write lock while the analysis ends; the database gives up
        // at once (busy timeout 0), so the outcome must be written again, not dropped.
        let path = directory.path("busy.sqlite")
        let queue = SQLiteJobQueue(
            database: try Database.open(path: path, options: ConnectionOptions(busyTimeout: .zero)),
            configuration: QueueConfiguration(retryPolicy: RetryPolicy(base: .milliseconds(20), cap: .seconds(1), jitter: 0, maxAttempts: 1)))
        let id = try await enqueue(queue, 1)[0]
        let other = try Database.open(path: path)
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            // Holds the write lock for 400 ms on its own connection.
            Task { try await other.write { _ in usleep(400_000) } }
            try await Task.sleep(for: .milliseconds(50))
            return #"{"issue_url":"u"}"#
        }, configuration: configuration(), logger: .quiet)
        try await run(worker) { try await allFinished(queue) }
        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .succeeded && job.result == #"{"issue_url":"u"}"#)
    }

    /// A heartbeat the database refuses (busy) is logged, not swallowed; the lease still has
    /// time, so the job goes on and succeeds.
    @Test func aFailedHeartbeatIsLoggedAndTheJobGoesOn() async throws {
        let path = directory.path("beat.sqlite")
        let queue = SQLiteJobQueue(
            database: try Database.open(path: path, options: ConnectionOptions(busyTimeout: .zero)),
            configuration: QueueConfiguration(retryPolicy: RetryPolicy(base: .milliseconds(20), cap: .seconds(1), jitter: 0, maxAttempts: 1)))
        let id = try await enqueue(queue, 1)[0]
        var settings = configuration(ttl: .seconds(30))
        settings.heartbeatInterval = .milliseconds(100)
        let record = LogRecord()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            // Another process holds the write lock until a beat has failed (at most 20 s: a
            // loaded machine may delay the beats, never skip them). A process of its own, not a
            // second connection here: a connection's queue blocked that long would hold one of
            // the two dispatch threads every database of this test process shares.
            let lock = try await WriteLockHolder(path: path)
            let deadline = ContinuousClock.now + .seconds(20)
            while !record.lines.contains(where: { $0.contains("heartbeat failed") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await lock.release()
            try await Task.sleep(for: .milliseconds(300))
            return "{}"
        }, configuration: settings, logger: Logger(label: "test") { _ in RecordingLogHandler(record: record) })
        try await run(worker) { try await allFinished(queue) }
        #expect(try await queue.job(id: id)?.state == .succeeded)
        let beats = record.lines.filter { $0.contains("heartbeat failed") }
        #expect(!beats.isEmpty, "\(record.lines.suffix(5))")
        #expect(beats.allSatisfy { $0.contains("job_id") && $0.contains("error") })
    }

    @Test func heartbeatsExtendTheLeaseWhileAJobRuns() async throws {
        let queue = try makeQueue()
        let id = try await enqueue(queue, 1)[0]
        let started = Concurrency()
        // The job runs until the test has seen its lease extended (a fixed run time raced
        // the test's reads on a loaded machine).
        let extended = Mutex(false)
        var settings = configuration(ttl: .seconds(30))
        settings.heartbeatInterval = .milliseconds(200)
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            started.enter()
            let deadline = ContinuousClock.now + .seconds(60)
            while !extended.withLock({ $0 }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            return "{}"
        }, configuration: settings, logger: .quiet)
        let task = Task { try await worker.run() }
        while started.peak == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let first = try #require(try await queue.job(id: id)?.leaseExpiresAt)
        let later = try await eventually("the lease to be extended", timeout: .seconds(30), every: .milliseconds(20)) {
            try await queue.job(id: id)?.leaseExpiresAt.flatMap { $0 > first ? $0 : nil }
        }
        #expect(later > first)
        extended.withLock { $0 = true }
        while try await !allFinished(queue) { try await Task.sleep(for: .milliseconds(20)) }
        worker.stop()
        try await task.value
        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .succeeded && job.attempts == 1)
    }

    @Test func stopLetsShortJobsFinish() async throws {
        let queue = try makeQueue()
        let ids = try await enqueue(queue, 2)
        let started = Concurrency()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            started.enter()
            try await Task.sleep(for: .milliseconds(200))
            return "{}"
        }, configuration: configuration(grace: .seconds(60)), logger: .quiet)
        try await run(worker) { started.peak == 2 }
        for id in ids { #expect(try await queue.job(id: id)?.state == .succeeded) }
    }

    @Test func stopReleasesJobsThatOutliveTheGracePeriod() async throws {
        let queue = try makeQueue(maxAttempts: 1)
        let id = try await enqueue(queue, 1)[0]
        let started = Concurrency()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            started.enter()
            try await Task.sleep(for: .seconds(60))
            return "{}"
        }, configuration: configuration(ttl: .seconds(60), grace: .milliseconds(100)), logger: .quiet)
        let clock = ContinuousClock()
        let start = clock.now
        let startDate = Date()
        try await run(worker) { started.peak == 1 }
        // Released after the 100 ms grace, not after the handler's 60 s; the bound leaves room
        // for a machine whose cores the rest of the suite holds (6.4 s measured there), and the
        // 60 s lease cannot expire first and turn the release into a rescue.
        #expect(clock.now - start < .seconds(30))
        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .queued)
        // Released without using up its only attempt, due again after the release delay (an
        // issue its create call may still be making has time to appear).
        #expect(job.maxAttempts - job.attempts == 1)
        #expect(job.runAfter.timeIntervalSince(startDate) > 39, "due \(job.runAfter.timeIntervalSince(startDate)) s after the start")
        #expect(try await queue.attempts(jobID: id).map(\.outcome) == ["released"])
    }

    @Test(.timeLimit(.minutes(2))) func cancellingTheWorkerStopsItAndReleasesItsJobs() async throws {
        // `serve` cancels the worker when a sibling service fails (e.g. the port is taken):
        // the worker must end, and its running job go back to the queue with its attempt intact.
        let queue = try makeQueue(maxAttempts: 1)
        let ids = try await enqueue(queue, 2)
        let started = Concurrency()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            started.enter()
            try await Task.sleep(for: .seconds(60))
            return "{}"
        }, configuration: configuration(concurrency: 1, grace: .milliseconds(100)), logger: .quiet)
        let task = Task { try await worker.run() }
        while started.peak == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        try await task.value
        // Well before the handler's 60 s (a loaded machine stalls a test process for seconds).
        #expect(clock.now - start < .seconds(30))
        let counts = try await queue.stats().counts
        #expect(counts[.queued] == 2, "\(counts)")
        #expect((counts[.failed] ?? 0) == 0 && (counts[.dead] ?? 0) == 0, "\(counts)")
        for id in ids {
            let job = try #require(try await queue.job(id: id))
            #expect(job.maxAttempts - job.attempts == 1)
        }
    }

    @Test func aCancelledJobStopsItsHandler() async throws {
        let queue = try makeQueue()
        let id = try await enqueue(queue, 1)[0]
        let started = Concurrency()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { _ in
            started.enter()
            try await Task.sleep(for: .seconds(60))
            return "{}"
        }, configuration: configuration(ttl: .milliseconds(300)), logger: .quiet)
        let task = Task { try await worker.run() }
        while started.peak == 0 { try await Task.sleep(for: .milliseconds(10)) }
        _ = try await queue.cancel(id: id)
        // The next heartbeat finds the lease gone and the handler is cancelled long before 60 s.
        try await Task.sleep(for: .milliseconds(400))
        worker.stop()
        try await task.value
        #expect(try await queue.job(id: id)?.state == .cancelled)
    }
}

/// The `sqlite3` shell in a child process holding a database's write lock (`BEGIN IMMEDIATE`)
/// until `release()`.
final class WriteLockHolder: Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output: URL

    init(path: String) async throws {
        output = FileManager.default.temporaryDirectory.appending(path: "lock-\(UUID().uuidString).out")
        try Data().write(to: output)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? String(contentsOf: output, encoding: .utf8))?.contains("locked") != true {
            guard ContinuousClock.now < deadline, process.isRunning else { throw TestSupportError("sqlite3 did not take the lock") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func release() async throws {
        input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        try? FileManager.default.removeItem(at: output)
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// Leadership a test switches.
final class SwitchedLeadership: Leadership {
    private let leading = Mutex(false)
    func set(_ value: Bool) { leading.withLock { $0 = value } }
    var isLeading: Bool { leading.withLock { $0 } }
}

@Suite struct WorkerLeadershipTests {
    let directory = TemporaryDirectory()

    @Test func onlyTheLeaderRescuesExpiredLeases() async throws {
        let queue = SQLiteJobQueue(database: try Database.open(path: directory.path("worker.sqlite")))
        let id = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
        // Another worker leased it and died.
        _ = try await queue.lease(batch: 1, ttl: .milliseconds(1), owner: "dead-worker")
        let leadership = SwitchedLeadership()
        let worker = WorkerService(
            queue: queue, handler: ScriptedHandler { _ in "{}" },
            configuration: WorkerConfiguration(concurrency: 1, leaseTTL: .seconds(60), pollInterval: .milliseconds(10),
                                               rescueInterval: .milliseconds(20), owner: "follower"),
            logger: .quiet, leadership: leadership)
        let task = Task { try await worker.run() }
        // Many rescue rounds pass while another replica leads: the expired lease stays.
        try await Task.sleep(for: .milliseconds(500))
        let waiting = try #require(try await queue.job(id: id))
        #expect(waiting.state == .running && waiting.leaseOwner == "dead-worker")
        // This one is elected: its next rounds rescue the job, and it runs it.
        leadership.set(true)
        let deadline = ContinuousClock.now + .seconds(20)
        while try await queue.job(id: id)?.state != .succeeded, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        worker.stop()
        try await task.value
        #expect(try await queue.job(id: id)?.state == .succeeded)
    }

    @Test func onlyTheLeaderPrunes() async throws {
        let retention = CountingRetention()
        let leadership = SwitchedLeadership()
        let service = RetentionService(retention: retention, window: .seconds(86400), interval: .milliseconds(20),
                                       logger: .quiet, leadership: leadership, followerInterval: .milliseconds(20))
        let task = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(400))
        #expect(retention.calls == 0, "a follower pruned")
        leadership.set(true)
        let deadline = ContinuousClock.now + .seconds(20)
        while retention.calls == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        _ = try? await task.value
        #expect(retention.calls > 0, "the leader never pruned")
    }
}

/// Counts pruning calls; prunes nothing.
final class CountingRetention: JobRetention {
    private let count = Mutex(0)
    var calls: Int { count.withLock { $0 } }
    func pruneFinishedJobs(endedBefore cutoff: Date, limit: Int, dryRun: Bool) async throws -> PrunedRows {
        count.withLock { $0 += 1 }
        return PrunedRows()
    }
}
