import Foundation
import Logging
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport

/// PostgreSQL only: a call on a link gone silent (stalled, not reset: TCP would wait many
/// minutes) answers `noAnswer` once its deadline passes, statements and transactions alike,
/// and calls go through again once the link is back (a `StallableLink` on 127.0.0.3).
@Suite struct PostgresDeadlineTests {
    @Test(.timeLimit(.minutes(3))) func aCallOnASilentLinkGetsNoAnswerAtItsDeadline() async throws {
        let link = try await StallableLink.start(listen: "127.0.0.3")
        defer { link.close() }

        var logger = Logger(label: "postgres-deadline")
        logger.logLevel = .critical
        // The schema and a job first, straight to the server with the default timeouts: on a
        // loaded machine (the whole suite sharing the server and two cores, tasks waiting
        // seconds for a thread) a migration or an enqueue can outlast the deadlines below.
        let setUp = try await AgentStorage.postgres(PostgresLocation(url: link.serverURL), logger: logger)
        let job = try await setUp.queue.enqueue(NewJob(namespace: "ci", pod: "build-1")).job
        await setUp.shutdown()
        // Deadlines: 1 s to connect + 2 × 1 s per statement (3 s); + 4 × 1 s per transaction (5 s).
        let storage = try await AgentStorage.postgres(
            PostgresLocation(url: link.url),
            settings: PostgresSettings(poolSize: 2, connectTimeout: .seconds(1), statementTimeout: .seconds(1)), logger: logger)

        link.stall()
        await #expect(throws: PostgresStoreError.noAnswer(within: .seconds(3))) { _ = try await storage.queue.stats() }
        await #expect(throws: PostgresStoreError.noAnswer(within: .seconds(5))) {
            _ = try await storage.groups.claim(fingerprint: "f1", namespace: "ci", jobID: job.id)
        }
        #expect(PostgresStoreError.noAnswer(within: .seconds(3)).isTransient, "a worker retries, ingest answers 503")

        link.restore()
        let total = try await eventually("calls to go through again", timeout: .seconds(60), every: .milliseconds(200)) {
            try? await storage.queue.stats().total
        }
        #expect(total == 1)
        await storage.shutdown()
    }
}
