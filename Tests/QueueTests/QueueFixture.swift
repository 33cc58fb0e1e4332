import Foundation
import Store
import TestSupport
@testable import Queue

/// A queue on a fresh database file, with a clock the test controls.
struct QueueFixture {
    let directory = TemporaryDirectory()
    let clock = ManualClock()
    let path: String
    let queue: SQLiteJobQueue

    init(retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 3), dedupeWindow: Duration = .seconds(24 * 3600)) throws {
        path = directory.path("queue.sqlite")
        queue = try Self.makeQueue(path: path, clock: clock, retryPolicy: retryPolicy, dedupeWindow: dedupeWindow)
    }

    /// Another queue on the same file, with its own connection (as another process would have).
    func makeQueue() throws -> SQLiteJobQueue {
        try Self.makeQueue(path: path, clock: clock, retryPolicy: queue.configuration.retryPolicy,
                           dedupeWindow: queue.configuration.dedupeWindow)
    }

    private static func makeQueue(path: String, clock: ManualClock, retryPolicy: RetryPolicy, dedupeWindow: Duration) throws -> SQLiteJobQueue {
        SQLiteJobQueue(
            database: try Database.open(path: path),
            configuration: QueueConfiguration(retryPolicy: retryPolicy, dedupeWindow: dedupeWindow, now: { clock.now }))
    }

    func enqueue(_ count: Int, namespace: String = "ci") async throws -> [Int64] {
        var ids: [Int64] = []
        for index in 0..<count {
            ids.append(try await queue.enqueue(NewJob(namespace: namespace, pod: "pod-\(index)", container: "step-build")).job.id)
        }
        return ids
    }
}

extension JobFailure {
    static let transient = JobFailure(message: "LLM answered 503", errorClass: "http_503", retryable: true)
    static let permanent = JobFailure(message: "pod not found", errorClass: "unknown_pod", retryable: false)
}
