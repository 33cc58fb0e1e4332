import Foundation
import Logging
import Queue
import Store
import Synchronization
import Testing
import TestSupport
@testable import Worker

/// The worker on a full disk (the ingest side is `DiskFullTests`): analyses that end while no
/// write fits keep their leases and their outcomes until space returns; the worker neither
/// crashes nor gives the jobs up, and nothing runs twice. Needs root to mount a tmpfs.
@Suite(.enabled(if: SmallFilesystem.isAvailable, "mounting a tmpfs needs root"))
struct WorkerDiskFullTests {
    @Test func outcomesWaitForSpaceUnderTheirLeases() async throws {
        let disk = try SmallFilesystem(megabytes: 4)
        let queue = SQLiteJobQueue(
            database: try Database.open(path: disk.path("agent.sqlite")),
            configuration: QueueConfiguration(retryPolicy: RetryPolicy(base: .milliseconds(20), cap: .seconds(1), jitter: 0, maxAttempts: 3)))
        var ids: [Int64] = []
        for index in 0..<2 { ids.append(try await queue.enqueue(NewJob(namespace: "ci", pod: "full-\(index)")).job.id) }

        // The disk stays full for longer than a write was retried before (half a lease), and
        // shorter than a lease, which the heartbeat renews as soon as a write fits again. The
        // rest of the lease (14 s) is for a loaded machine: with 5 s left, the full suite on
        // 2 cores once stretched this test fourfold and the leases expired before the disk
        // was freed (each job then ran twice).
        let fullFor = Duration.seconds(16)
        let settings = WorkerConfiguration(
            concurrency: 4, leaseTTL: .seconds(30), heartbeatInterval: .seconds(1), pollInterval: .milliseconds(20),
            rescueInterval: .milliseconds(200), shutdownGrace: .seconds(5), owner: "disk-worker")
        let diskFull = Mutex(false)
        let runs = Mutex<[Int64: Int]>([:])
        // A result larger than any free space the database files keep: writing it needs new blocks.
        let result = #"{"issue_url":"u","note":""# + String(repeating: "x", count: 256 * 1024) + #""}"#
        let record = LogRecord()
        let worker = WorkerService(queue: queue, handler: ScriptedHandler { job in
            runs.withLock { $0[job.job.id, default: 0] += 1 }
            while !diskFull.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            return result
        }, configuration: settings, logger: Logger(label: "test") { _ in RecordingLogHandler(record: record) })
        let running = Task { try await worker.run() }
        defer { running.cancel() }

        try await waitFor("both jobs leased", timeout: .seconds(30)) { try await queue.stats().counts[.running] == 2 }
        try disk.fill()
        diskFull.withLock { $0 = true }
        try await Task.sleep(for: fullFor)

        // Full: the outcomes are not written, the jobs are still this worker's, the worker runs.
        #expect(record.lines.contains { $0.contains("recording the outcome failed") }, "\(record.lines.suffix(5))")
        #expect(!record.lines.contains { $0.contains("outcome not recorded") }, "\(record.lines.suffix(5))")
        for id in ids {
            let job = try #require(try await queue.job(id: id))
            #expect(job.state == .running && job.leaseOwner == "disk-worker")
        }
        #expect(await worker.isLeasing)

        try disk.free()
        try await waitFor("both outcomes recorded", timeout: .seconds(60)) {
            try await queue.stats().counts[.succeeded] == 2
        }
        worker.stop()
        try await running.value
        for id in ids {
            let job = try #require(try await queue.job(id: id))
            #expect(job.state == .succeeded && job.attempts == 1 && job.result == result, "job \(id): \(job.lastError ?? "")")
            #expect(try await queue.attempts(jobID: id).map(\.outcome) == ["succeeded"])
        }
        #expect(runs.withLock { $0 } == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }), "no analysis ran twice")
    }

    private func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestSupportError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
