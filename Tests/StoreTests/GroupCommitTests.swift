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
}
