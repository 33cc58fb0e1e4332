import Foundation
import Logging
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport

/// PostgreSQL only: an enqueue wakes listening workers through LISTEN/NOTIFY.
@Suite struct PostgresNotificationTests {
    @Test func anEnqueueWakesAListener() async throws {
        try await StorageDriver.postgres.with { storage in
            let wakeUps = try #require(storage.wakeUps)
            let count = WakeUpCount()
            let listener = Task {
                for await _ in wakeUps() { await count.add() }
            }
            defer { listener.cancel() }
            // The first wake-up says the listener is connected (it may have missed some).
            #expect(try await count.reaches(1, within: .seconds(60)))
            _ = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p"))
            #expect(try await count.reaches(2, within: .seconds(60)), "no notification within 60 s of the enqueue")
        }
    }

    @Test func concurrentNotifiesCoalesce() async throws {
        let location = try PostgresLocation(url: try await PostgresCluster.shared.createDatabase())
        var logger = Logger(label: "notify-tests")
        logger.logLevel = .error
        let backend = PostgresBackend(location: location, settings: PostgresSettings(poolSize: 4), logger: logger)
        let notifier = PostgresJobNotifier(backend: backend)
        // Twenty requests at once send far fewer NOTIFYs: one in flight, one more after it.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { await notifier.send() } }
        }
        let sent = await notifier.sent
        #expect(sent >= 1 && sent <= 10, "\(sent) NOTIFYs for 20 requests")
        await backend.shutdown()
    }
}

/// Wake-ups seen by a test's listener.
actor WakeUpCount {
    private(set) var value = 0

    func add() { value += 1 }

    /// Whether the count reaches `target` before `timeout`.
    func reaches(_ target: Int, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while value < target {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// Every driver signals a job's end to requests held by `?wait=` (SQLite within the process
/// and through the file's data version, PostgreSQL through NOTIFY on its own channel).
@Suite struct JobEndSignalContractTests {
    @Test(arguments: StorageDriver.allCases) func aJobsEndIsSignalled(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let jobEnds = try #require(storage.jobEnds)
            _ = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p1"))
            _ = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p2"))
            let leased = try await storage.queue.lease(batch: 2, ttl: .seconds(60), owner: "w")
            #expect(leased.count == 2)
            let count = WakeUpCount()
            let listener = Task {
                for await _ in jobEnds() { await count.add() }
            }
            defer { listener.cancel() }
            // Each signals once that it is in place (PostgreSQL's listener connected, SQLite's
            // watch read the file's version), so that an end before it is not missed.
            #expect(try await count.reaches(1, within: .seconds(60)))
            try await Task.sleep(for: .milliseconds(300))
            let before = await count.value

            // A retry is no end; a success is.
            #expect(try await storage.queue.fail(leased[0].lease, failure: JobFailure(message: "x", errorClass: "x", retryable: true)) == .queued)
            try await storage.queue.complete(leased[1].lease, result: "{}")
            #expect(try await count.reaches(before + 1, within: .seconds(60)), "no signal within 60 s of the end")
        }
    }
}
