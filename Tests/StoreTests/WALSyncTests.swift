import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Store

/// `synchronous=FULL`: the connection commits without flushing and `WALSync` flushes the WAL
/// before the writers hear back.
@Suite struct WALSyncTests {
    let directory = TemporaryDirectory()
    let table = [Migration(version: 1, name: "t", sql: "CREATE TABLE t (x INTEGER)")]

    /// A flush that waits for the test's go-ahead and counts its calls.
    final class HeldFlush: Sendable {
        let calls = Atomic(0)
        let gate = DispatchSemaphore(value: 0)
        var flush: @Sendable (Int32) -> Int32 {
            { [self] descriptor in
                calls.add(1, ordering: .sequentiallyConsistent)
                gate.wait()
                return WALSync.fdatasync(descriptor)
            }
        }
    }

    @Test func aWriteIsAnsweredOnlyOnceTheWALIsFlushed() async throws {
        let held = HeldFlush()
        let database = try Database.open(path: directory.path("held.sqlite"), options: ConnectionOptions(synchronous: .full),
                                         migrations: table, flush: held.flush)
        #expect(try await database.read { try $0.queryFirst("PRAGMA synchronous") { $0.int(0) } } == 1, "NORMAL: COMMIT does not flush")
        let answered = Atomic(false)
        let write = Task {
            try await database.write { try $0.execute("INSERT INTO t VALUES (1)") }
            answered.store(true, ordering: .sequentiallyConsistent)
        }
        try await eventually("the first flush", every: .milliseconds(10)) { held.calls.load(ordering: .sequentiallyConsistent) == 1 ? true : nil }
        // Committed (another reader sees it) but not yet answered: the flush has not returned.
        #expect(try await database.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 1)
        try await Task.sleep(for: .milliseconds(200))
        let answeredBeforeFlush = answered.load(ordering: .sequentiallyConsistent)
        #expect(!answeredBeforeFlush)
        held.gate.signal()
        try await write.value
        let answeredAfterFlush = answered.load(ordering: .sequentiallyConsistent)
        #expect(answeredAfterFlush)
    }

    @Test func writesCommittedDuringAFlushShareTheNextOne() async throws {
        let held = HeldFlush()
        let database = try Database.open(path: directory.path("shared.sqlite"), options: ConnectionOptions(synchronous: .full),
                                         migrations: table, flush: held.flush)
        let first = Task { try await database.write { try $0.execute("INSERT INTO t VALUES (0)") } }
        try await eventually("the first flush", every: .milliseconds(10)) { held.calls.load(ordering: .sequentiallyConsistent) == 1 ? true : nil }
        // Ten more writes commit (one by one or grouped) while the first flush is held.
        let more = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 1...10 { group.addTask { try await database.write { try $0.execute("INSERT INTO t VALUES (?)", [value]) } } }
                try await group.waitForAll()
            }
        }
        // Handed to WALSync, not merely committed: a reader sees a commit a moment before the
        // database thread hands its writers over.
        try await eventually("ten writes waiting for the next flush", every: .milliseconds(10)) {
            database.walSync?.waitingWrites == 10 ? true : nil
        }
        #expect(try await database.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } } == 11)
        held.gate.signal()
        try await first.value
        try await eventually("the second flush", every: .milliseconds(10)) { held.calls.load(ordering: .sequentiallyConsistent) == 2 ? true : nil }
        // Go-aheads to spare: a third flush would then show in the count instead of hanging.
        for _ in 0..<3 { held.gate.signal() }
        try await more.value
        let flushes = held.calls.load(ordering: .sequentiallyConsistent)
        #expect(flushes == 2, "one flush for every write committed meanwhile")
    }

    @Test func aFailedFlushFailsItsWritesAsTransientAndTheNextFlushServesAgain() async throws {
        let failNext = Atomic(true)
        let database = try Database.open(
            path: directory.path("eio.sqlite"), options: ConnectionOptions(synchronous: .full), migrations: table,
            flush: { descriptor in failNext.exchange(false, ordering: .sequentiallyConsistent) ? EIO : WALSync.fdatasync(descriptor) })
        let error = await #expect(throws: SQLiteError.self) {
            try await database.write { try $0.execute("INSERT INTO t VALUES (1)") }
        }
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("flushing") == true, "\(String(describing: error))")
        try await database.write { try $0.execute("INSERT INTO t VALUES (2)") }
    }

    @Test func normalModeDoesNotFlush() async throws {
        let held = HeldFlush()
        let database = try Database.open(path: directory.path("normal.sqlite"), options: ConnectionOptions(synchronous: .normal),
                                         migrations: table, flush: held.flush)
        try await database.write { try $0.execute("INSERT INTO t VALUES (1)") }
        let flushes = held.calls.load(ordering: .sequentiallyConsistent)
        #expect(flushes == 0)
    }
}
