import Foundation
import Logging
import PostgresStore
import Testing
import TestSupport

/// PostgreSQL only: the enqueue batch keeps its plan for a connection's life (a generic plan in
/// PL/pgSQL), so the plan must be right whatever statistics the table has when a connection
/// first calls it, including none (migration 0006).
@Suite struct PostgresQueryPlanTests {
    /// Tables with no statistics (autovacuum off, never analyzed), in the shapes where the
    /// planner once took `jobs_state` and read every succeeded job per report.
    @Test(arguments: [(succeeded: 20, queued: 0), (300, 0), (300, 200), (3000, 0)])
    func theLookForARecentSuccessWalksItsIndexWithoutStatistics(succeeded: Int, queued: Int) async throws {
        let url = try await PostgresCluster.shared.createDatabase()
        let location = try PostgresLocation(url: url)
        var logger = Logger(label: "query-plan-tests")
        logger.logLevel = .error
        let backend = PostgresBackend(location: location, settings: PostgresSettings(poolSize: 1), logger: logger)
        try await PostgresMigrator(backend: backend).migrate()
        await backend.shutdown()

        // auto_explain prints the plans of the function's statement as notices (on stderr).
        let script = """
            ALTER TABLE jobs SET (autovacuum_enabled = false);
            INSERT INTO jobs (namespace, pod, container, state, attempts, finished_at)
                SELECT 'ci', 'done-' || n, '', 'succeeded', 1, now() FROM generate_series(1, \(succeeded)) n;
            INSERT INTO jobs (namespace, pod, container) SELECT 'ci', 'queued-' || n, '' FROM generate_series(1, \(queued)) n;
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_level = notice;
            SELECT count(*) FROM enqueue_reports(ARRAY['ci', 'ci'], ARRAY['new-1', 'done-1'], ARRAY['', ''],
                ARRAY[NULL, NULL]::text[], ARRAY[NULL, NULL]::text[], ARRAY['webhook', 'webhook'],
                ARRAY[3, 3]::int8[], ARRAY[1, 1]::int8[], 600000);
            """
        let run = try await PostgresCluster.psqlWithNotices(try await PostgresCluster.shared.server(), script,
                                                            database: location.database)
        // One new job; the report of done-1 joins its success (no row from the batch).
        #expect(run.output == "1")
        let plan = run.notices
        #expect(plan.contains("enqueue_reports") || plan.contains("INSERT INTO jobs"), "no plan printed: \(plan)")
        #expect(plan.contains("using jobs_recent_report"), "\(plan)")
        for other in ["jobs_state", "jobs_finished", "Seq Scan on jobs"] {
            #expect(!plan.contains(other), "the look used \(other): \(plan)")
        }
    }
}
