import Foundation
import Logging
import PostgresStore
import Queue
import Storage
import Synchronization
import Testing
import TestSupport
import Worker

/// A worker cut off from PostgreSQL mid-job — its connections stall, as on a partitioned
/// network, not refused — stops the job's handler (and so its side effects, which no database
/// fence can stop) before its lease can expire and another host take the job over; once the
/// link is back the job runs again and succeeds. The link is a `StallableLink` on 127.0.0.2.
@Suite struct CutOffWorkerTests {
    /// Long enough that the seconds a loaded machine can stall the worker's heartbeat before the
    /// cut do not stop the handler early (which the lower bound below would report).
    static let ttl = Duration.seconds(6)

    /// When the handler's attempts began and how each ended.
    final class Attempts: Sendable {
        struct Attempt: Sendable {
            let started: ContinuousClock.Instant
            var cancelledAt: ContinuousClock.Instant?
        }
        private let state = Mutex<[Attempt]>([])
        var all: [Attempt] { state.withLock { $0 } }
        func begin() -> Int { state.withLock { $0.append(Attempt(started: .now)); return $0.count - 1 } }
        func cancelled(_ index: Int) { state.withLock { $0[index].cancelledAt = .now } }
    }

    struct SlowFirstAttempt: JobHandler {
        let attempts: Attempts
        func run(_ job: LeasedJob, logger: Logger) async throws -> String? {
            let index = attempts.begin()
            guard index == 0 else { return "{}" }
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                attempts.cancelled(index)
                throw error
            }
            return "{}"
        }
    }

    @Test(.timeLimit(.minutes(3))) func aWorkerCutOffFromTheDatabaseStopsItsJobBeforeTheLeaseCanExpire() async throws {
        let link = try await StallableLink.start(listen: "127.0.0.2")
        defer { link.close() }

        var logger = Logger(label: "cut-off-worker")
        logger.logLevel = .critical
        let storage = try await AgentStorage.postgres(
            PostgresLocation(url: link.url),
            settings: PostgresSettings(poolSize: 4), logger: logger)
        let job = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "build-1", container: "step-test")).job
        let attempts = Attempts()
        let worker = WorkerService(
            queue: storage.queue, handler: SlowFirstAttempt(attempts: attempts),
            configuration: WorkerConfiguration(concurrency: 1, leaseTTL: Self.ttl, heartbeatInterval: .milliseconds(500),
                                               pollInterval: .milliseconds(100), rescueInterval: .seconds(1)),
            logger: logger)
        let running = Task { try await worker.run() }
        defer { running.cancel() }

        _ = try await eventually("the first attempt to start", timeout: .seconds(30), every: .milliseconds(20)) {
            attempts.all.isEmpty ? nil : true
        }
        link.stall()
        let cut = ContinuousClock.now
        let cancelled = try await eventually("the cut-off attempt to stop", timeout: .seconds(60), every: .milliseconds(20)) {
            attempts.all[0].cancelledAt
        }
        // Stopped once renewals stopped reaching the database for about a lease (renewed at most
        // one beat before the cut): about 5.5 s here. Bounded loosely above, since a loaded
        // machine stalls a test process for seconds; without the deadline the handler would
        // sleep its full ten minutes.
        #expect(cancelled - cut < Self.ttl * 5, "stopped \(cancelled - cut) after the cut")
        #expect(cancelled - cut > Self.ttl / 3, "stopped \(cancelled - cut) after the cut: too early")

        link.restore()
        let finished = try await eventually("the job to run again and succeed", timeout: .seconds(60), every: .milliseconds(100)) {
            try await storage.queue.job(id: job.id)?.state == .succeeded ? true : nil
        }
        #expect(finished)
        let outcomes = try await storage.queue.attempts(jobID: job.id).map(\.outcome)
        #expect(outcomes == ["lease_expired", "succeeded"], "\(outcomes)")
        worker.stop()
        try await running.value
        await storage.shutdown()
    }
}
