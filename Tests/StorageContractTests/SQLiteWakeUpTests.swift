import Foundation
import Queue
import Storage
import Testing
import TestSupport

/// SQLite: a job enqueued by this process wakes the workers of this process at once
/// (`pipeline-agent serve`) instead of at their next poll; a duplicate report (no new job)
/// does not.
@Suite struct SQLiteWakeUpTests {
    @Test func anEnqueueWakesAListenerOfTheSameProcess() async throws {
        try await StorageDriver.sqlite.with { storage in
            let wakeUps = try #require(storage.wakeUps, "SQLite storage has no wake-ups")
            let stream = wakeUps()
            let count = WakeUpCount()
            let listener = Task {
                for await _ in stream { await count.add() }
            }
            defer { listener.cancel() }
            _ = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p"))
            #expect(try await count.reaches(1, within: .seconds(60)), "no wake-up within 60 s of the enqueue")
            #expect(try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p")).duplicate)
            // Given time to arrive, a wake-up for the duplicate would show here.
            try await Task.sleep(for: .milliseconds(300))
            #expect(await count.value == 1)
            _ = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "q"))
            #expect(try await count.reaches(2, within: .seconds(60)))
        }
    }
}
