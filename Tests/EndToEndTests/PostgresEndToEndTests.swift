import Foundation
import JSON
import Logging
import MCPClient
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport
import Worker

extension Scenario {
    /// The scenario's storage (SQLite file or PostgreSQL), read by the test once the agent
    /// has created and migrated it.
    func openStorage() async throws -> AgentStorage {
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        return try await AgentStorage.open(databasePath, postgresSettings: PostgresSettings(poolSize: 2), logger: logger)
    }
}

extension EndToEndTests {
    /// Replicas on PostgreSQL: two ingests and two workers share one database. Reports of one
    /// failure on many pods, each sent to both ingests, end as one job per pod, every job
    /// succeeds, one issue, one comment per other pod.
    @Test func ingestAndWorkerReplicasOnPostgresMakeOneIssue() async throws {
        let pods = (0..<16).map { "build-app-run\($0)-r\(UUID().uuidString.prefix(4).lowercased())-unit-tests-pod" }
        var fixtures: [String: String] = [:]
        for (index, pod) in pods.enumerated() { fixtures["ci/\(pod)"] = FailingLogs.goTestFailure(run: index) }
        let scenario = try await Scenario(pods: fixtures, database: try await PostgresCluster.shared.createDatabase())
        let run: [[String: Any]] = [
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci")]),
            ScriptedModel.text("Filed the issue."),
        ]
        try await scenario.model.script(run + run)
        let environment = scenario.environment(["AGENT_WORKER_CONCURRENCY": "4"])
        let ingests = [
            try await AgentProcess.webhook("ingest", environment: environment),
            try await AgentProcess.webhook("ingest", environment: environment),
        ]
        let workers = [try AgentProcess.worker(environment: environment), try AgentProcess.worker(environment: environment)]
        defer { for process in ingests + workers { process.kill() } }

        var ids: [String: Set<Int64>] = [:]
        for pod in pods {
            for ingest in ingests {
                let answer = try await ingest.report(namespace: "ci", pod: pod, container: FailingLogs.container)
                #expect(answer.status == 202 || answer.status == 200, "\(answer.body.jsonText)")
                ids[pod, default: []].insert(try Scenario.jobID(answer.location))
            }
        }
        #expect(ids.values.allSatisfy { $0.count == 1 }, "each pod's two reports make one job: \(ids)")

        let storage = try await scenario.openStorage()
        let counts = try await eventually("16 jobs to finish", timeout: .seconds(180), every: .milliseconds(500)) {
            let counts = try await storage.queue.stats().counts
            return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 ? counts : nil
        }
        #expect(counts == [.succeeded: 16], "\(workers.map { $0.stderr.suffix(2000) })")
        #expect(try await storage.queue.stats().totalReports == 32)

        let posts = try await scenario.peers.giteaRequests().filter { $0["method"] == "POST" }
        let base = "/api/v1/repos/\(EndToEndPeers.owner)/\(scenario.repository)/issues"
        #expect(posts.filter { $0["path"]?.stringValue == base }.count == 1)
        let comments = posts.filter { $0["path"]?.stringValue == base + "/1/comments" }
        #expect(comments.count == 15)
        let groups = try await storage.groups.list()
        #expect(groups.count == 1 && groups.first?.occurrences == 16)
        await storage.shutdown()
    }
}
