import Foundation
import Queue
import Store
import Synchronization

/// The SQLite queue with `enqueue` cut short at a chosen stage, for `ingest --breakdown`:
/// running the report route with each stage shows what the route, the hand-off to the
/// database thread and the SQLite work each cost. Everything else goes to the real queue.
final class StagedEnqueueQueue: JobQueue {
    enum Stage: Int {
        /// The real enqueue: dedupe lookup, insert, shared commit.
        case database
        /// Answers at once with a fixed result: the route without the queue.
        case inMemory
        /// Awaits a database write that runs no SQL, then answers the fixed result.
        case handOff
    }

    let inner: SQLiteJobQueue
    private let stage = Atomic(Stage.database.rawValue)
    /// The answer of the cut-short stages, taken from a real enqueue.
    private let fixed = Mutex<EnqueueResult?>(nil)

    init(inner: SQLiteJobQueue) { self.inner = inner }

    /// Switches stage; the cut-short stages answer `result`.
    func use(_ stage: Stage, answering result: EnqueueResult? = nil) {
        fixed.withLock { $0 = result ?? $0 }
        self.stage.store(stage.rawValue, ordering: .sequentiallyConsistent)
    }

    func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        let current = Stage(rawValue: stage.load(ordering: .relaxed)) ?? .database
        guard current != .database, let result = fixed.withLock({ $0 }) else { return try await inner.enqueue(job) }
        if current == .handOff { try await inner.database.write { _ in () } }
        return result
    }

    func lease(batch: Int, ttl: Duration, owner: String) async throws -> [LeasedJob] {
        try await inner.lease(batch: batch, ttl: ttl, owner: owner)
    }
    func heartbeat(_ lease: Lease, ttl: Duration) async throws { try await inner.heartbeat(lease, ttl: ttl) }
    func complete(_ lease: Lease, result: String?) async throws { try await inner.complete(lease, result: result) }
    func fail(_ lease: Lease, failure: JobFailure) async throws -> JobState { try await inner.fail(lease, failure: failure) }
    func release(_ lease: Lease, delay: Duration) async throws { try await inner.release(lease, delay: delay) }
    func rescueExpiredLeases() async throws -> [Int64] { try await inner.rescueExpiredLeases() }
    func reclaimLeases(owner: String) async throws -> [Int64] { try await inner.reclaimLeases(owner: owner) }
    func cancel(id: Int64) async throws -> Job { try await inner.cancel(id: id) }
    func retry(id: Int64) async throws -> Job { try await inner.retry(id: id) }
    func rerun(id: Int64) async throws -> Job { try await inner.rerun(id: id) }
    func retryAllDead() async throws -> [Int64] { try await inner.retryAllDead() }
    func job(id: Int64) async throws -> Job? { try await inner.job(id: id) }
    func attempts(jobID: Int64) async throws -> [AttemptRecord] { try await inner.attempts(jobID: jobID) }
    func list(_ filter: JobFilter) async throws -> JobPage { try await inner.list(filter) }
    func stats() async throws -> QueueStats { try await inner.stats() }
    func activity(since: Date) async throws -> QueueActivity { try await inner.activity(since: since) }
}
