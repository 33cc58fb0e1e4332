import Foundation
@testable import PostgresStore
import Testing

/// How a PostgreSQL migration file is cut into statements (the extended protocol runs one per query).
@Suite struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() throws {
        let script = """
            CREATE TABLE a (note TEXT DEFAULT 'x;y'); -- a comment; with a semicolon
            CREATE INDEX "odd;name" ON a (note);
            """
        #expect(try SQLScript.statements(script) == [
            "CREATE TABLE a (note TEXT DEFAULT 'x;y')",
            "CREATE INDEX \"odd;name\" ON a (note)",
        ])
    }

    @Test func aFunctionBodyStaysInItsStatement() throws {
        let body = """
            CREATE FUNCTION f(n int) RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN
                PERFORM 1; -- inside: not a statement of the script
                RETURN (SELECT $$a;b$$ || n);
            END
            $body$
            """
        let statements = try SQLScript.statements(body + ";\nSELECT f($1);\nSELECT $$x;y$$")
        #expect(statements.count == 3)
        #expect(statements[0].hasPrefix("CREATE FUNCTION") && statements[0].hasSuffix("$body$"))
        #expect(statements[0].contains("PERFORM 1;") && statements[0].contains("$$a;b$$"))
        #expect(statements[0].contains("-- inside: not a statement"), "a body is kept as written")
        #expect(statements[1] == "SELECT f($1)", "$1 is a parameter, not a dollar quote")
        #expect(statements[2] == "SELECT $$x;y$$")
    }

    @Test func anUnclosedQuoteIsRefused() {
        #expect(throws: PostgresStoreError.self) { try SQLScript.statements("CREATE FUNCTION f() AS $body$ SELECT 1; $$;") }
        #expect(throws: PostgresStoreError.self) { try SQLScript.statements("SELECT 'never closed; SELECT 2;") }
    }

    @Test func everyShippedMigrationSplits() throws {
        for migration in PostgresMigrator.migrations {
            let statements = try SQLScript.statements(migration.sql)
            #expect(!statements.isEmpty, "\(migration.name)")
        }
    }
}
