import Foundation
import Testing
import TestSupport

/// `pipeline-agent-bench queue --db`: the WAL warm-up and the databases the run leaves behind.
@Suite struct PostgresQueueBenchmarkTests {
    @Test func theWarmUpWritesTheWALItAnnouncesAndTheRunLeavesNoDatabase() async throws {
        let server = try await PostgresCluster.shared.server()
        let walBefore = try await PostgresCluster.psql(server, "SELECT pg_current_wal_lsn() - '0/0'")
        let run = try await ChildProcess.run(
            try BuildProducts.executable("pipeline-agent-bench"),
            ["queue", "--db", server.url("postgres"), "--jobs", "300", "--slice", "100", "--wal-warmup", "24",
             "--pgqueuer-script", "/nonexistent/pgqueuer.py"],
            timeout: .seconds(300))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("WAL warm-up: 24 MB written"), "\(run.stdout)")
        #expect(run.stdout.contains("lifecycle: "), "\(run.stdout)")
        let walAfter = try await PostgresCluster.psql(server, "SELECT pg_current_wal_lsn() - '0/0'")
        let written = try #require(Double(walAfter)) - (try #require(Double(walBefore)))
        #expect(written >= 24 * 1_000_000, "WAL written during the run: \(written) bytes")
        let left = try await PostgresCluster.psql(server, "SELECT count(*) FROM pg_database WHERE datname LIKE 'pipeline_agent_bench_%'")
        #expect(left == "0")
    }

    @Test func aWarmUpOutOfRangeIsRefused() async throws {
        let run = try await ChildProcess.run(
            try BuildProducts.executable("pipeline-agent-bench"),
            ["queue", "--db", "postgres://nobody@127.0.0.1:1/none", "--wal-warmup", "5000"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--wal-warmup is 0...4096"), "\(run.stderr)")
    }
}
