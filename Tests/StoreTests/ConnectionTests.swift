import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct ConnectionTests {
    let directory = TemporaryDirectory()

    @Test func bindsAndReadsTypedValues() throws {
        let connection = try Connection(path: directory.path("t.sqlite"))
        try connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                               [Int64.max, 2.5, "héllo ✓", SQLValue.blob([0, 1, 255]), String?.none])
        let row = try connection.queryFirst("SELECT i, r, s, n, length(b) FROM t") {
            ($0.int64(0), $0.double(1), $0.string(2), $0.optionalString(3), $0.int(4))
        }
        #expect(row?.0 == Int64.max)
        #expect(row?.1 == 2.5)
        #expect(row?.2 == "héllo ✓")
        #expect(row?.3 == nil)
        #expect(row?.4 == 3)
    }

    @Test func aNewFileGetsTwoKilobytePagesAndAnExistingOneKeepsItsOwn() async throws {
        let fresh = try Connection(path: directory.path("new.sqlite"))
        try fresh.execute("CREATE TABLE t (x)")
        #expect(try fresh.queryFirst("PRAGMA page_size") { $0.int(0) } == 2048)

        // A file an earlier binary made (4 KiB pages, WAL) keeps them, and its rows.
        let path = directory.path("earlier.sqlite")
        let made = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                              [path, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);"])
        #expect(made.status == 0, "\(made.stderr)")
        let earlier = try Connection(path: path)
        #expect(try earlier.queryFirst("PRAGMA page_size") { $0.int(0) } == 4096)
        #expect(try earlier.queryFirst("SELECT count(*) FROM t") { $0.int(0) } == 1)
    }

    @Test func opensInWALModeWithForeignKeys() throws {
        let connection = try Connection(path: directory.path("w.sqlite"))
        #expect(try connection.queryFirst("PRAGMA journal_mode") { $0.string(0) } == "wal")
        #expect(try connection.queryFirst("PRAGMA foreign_keys") { $0.int(0) } == 1)
        #expect(try connection.queryFirst("PRAGMA busy_timeout") { $0.int(0) } == 5000)
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let connection = try Connection(path: directory.path("e.sqlite"))
        let error = #expect(throws: SQLiteError.self) { try connection.execute("SELECT * FROM missing_table") }
        #expect(error?.message.contains("no such table: missing_table") == true)
        #expect(error?.sql == "SELECT * FROM missing_table")
        #expect(error?.description.contains("e.sqlite") == true)
    }

    @Test func rejectsAFileThatIsNotADatabase() throws {
        let path = directory.path("garbage.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SQLiteError.self) { _ = try Database.open(path: path) }
        #expect(error?.message.contains("not a database") == true)
    }

    @Test func rejectsAnUnwritablePath() throws {
        let file = directory.path("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        // A path below a regular file can never be created.
        let error = #expect(throws: SQLiteError.self) { _ = try Database.open(path: file + "/sub/db.sqlite") }
        #expect(error?.description.contains("plain-file") == true)
    }

    @Test func transactionRollsBackOnError() throws {
        let connection = try Connection(path: directory.path("r.sqlite"))
        try connection.execute("CREATE TABLE t (x INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try connection.queryFirst("SELECT COUNT(*) FROM t") { $0.int(0) } == 0)
        #expect(!connection.isInTransaction)
    }
}
