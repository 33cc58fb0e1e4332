import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct GroupCommitTests {
    let directory = TemporaryDirectory()

    @Test func concurrentWritesAreAllCommitted() async throws {
        let database = try Database.open(path: directory.path("g.sqlite"), migrations: [
            Migration(version: 1, name: "t", sql: "CREATE TABLE t (x INTEGER UNIQUE)")
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for value in 0..<500 {
                group.addTask { try await database.write { try $0.execute("INSERT INTO t VALUES (?)", [value]) } }
            }
            try await group.waitForAll()
        }
        let count = try await database.read { try $0.queryFirst("SELECT COUNT(*) FROM t") { $0.int(0) } }
        #expect(count == 500)
    }

    @Test func aFailingWriteDoesNotUndoItsBatchmates() async throws {
        let database = try Database.open(path: directory.path("f.sqlite"), migrations: [
            Migration(version: 1, name: "t", sql: "CREATE TABLE t (x INTEGER UNIQUE)")
        ])
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for value in [1, 2, 2, 3, 3, 4] {
                group.addTask {
                    do {
                        try await database.write { db in
                            try db.execute("INSERT INTO t VALUES (?)", [value])
                            try db.execute("INSERT INTO t VALUES (?)", [value + 100])
                        }
                        return true
                    } catch { return false }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 4)
        let values = try await database.read { try $0.query("SELECT x FROM t ORDER BY x") { $0.int(0) } }
        // Each failed write undid its own first insert too (its savepoint), nothing else.
        #expect(values == [1, 2, 3, 4, 101, 102, 103, 104])
    }

    @Test func aWriteThatEndsTheTransactionFailsTheWholeBatch() async throws {
        // Stands for SQLite rolling back the whole transaction itself (SQLITE_FULL, IOERR): the
        // writes after it must not run outside the transaction and commit one by one.
        let database = try Database.open(path: directory.path("r.sqlite"), migrations: [
            Migration(version: 1, name: "t", sql: "CREATE TABLE t (x INTEGER UNIQUE)")
        ])
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for value in 0..<40 {
                group.addTask {
                    do {
                        try await database.write { db in
                            try db.execute("INSERT INTO t VALUES (?)", [value])
                            if value == 20 {
                                try db.execute("ROLLBACK")
                                throw SQLiteError(code: 13, message: "disk full")
                            }
                        }
                        return true
                    } catch { return false }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let values = try await database.read { try $0.query("SELECT x FROM t ORDER BY x") { $0.int(0) } }
        // Every write that reported success is in the table, every other one is not.
        #expect(outcomes.filter { $0 }.count == values.count)
        #expect(!values.contains(20))
        #expect(try await database.read { try $0.queryFirst("SELECT COUNT(*) FROM t") { $0.int(0) } } == values.count)
    }
}
