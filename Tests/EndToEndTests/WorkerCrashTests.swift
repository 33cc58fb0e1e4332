import Foundation
import MCPClient
import Queue
import Store
import Testing
import TestSupport
import Worker

extension EndToEndTests {
    /// 5. The worker is SIGKILLed at random points during jobs, 20 times, and restarted each
    /// time → every job ends `succeeded` after its lease expired, and the fake Gitea holds
    /// exactly one issue per fingerprint.
    @Test(arguments: EndToEndTests.giteaServers) func killedWorkersLoseNothingAndDuplicateNothing(gitea: GiteaMCPServerKind) async throws {
        let failures = ["TestAlpha", "TestBravo", "TestCharlie", "TestDelta", "TestEcho", "TestFoxtrot"]
        var fixtures: [String: String] = [:]
        var pods: [String] = []
        for (index, test) in failures.enumerated() {
            for copy in 0..<2 {
                let pod = "crash-run\(index)\(copy)-\(UUID().uuidString.prefix(5).lowercased())-unit-tests-pod"
                fixtures["ci/\(pod)"] = FailingLogs.goTestFailure(run: index * 2 + copy, test: test)
                pods.append(pod)
            }
        }
        let scenario = try await Scenario(pods: fixtures, gitea: gitea)
        // Slow answers so that kills land inside model calls; each run ends at a text step,
        // whether or not the model created the issue itself.
        let run: [[String: Any]] = [
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci")])
                .merging(["delay": 0.8]) { $1 },
            ScriptedModel.text(IssueDraft.body(place: "ci")).merging(["delay": 0.6]) { $1 },
        ]
        try await scenario.model.script(Array(repeating: run, count: 150).flatMap { $0 })
        let environment = scenario.environment([
            "AGENT_LEASE_TTL_SECONDS": "1", "AGENT_MAX_ATTEMPTS": "100", "AGENT_WORKER_CONCURRENCY": "4",
            "AGENT_RETRY_BASE_SECONDS": "1", "AGENT_RETRY_CAP_SECONDS": "1",
        ])
        let ingest = try await AgentProcess.webhook("ingest", environment: environment)
        defer { ingest.kill() }
        for pod in pods {
            let answer = try await ingest.report(namespace: "ci", pod: pod, container: FailingLogs.container)
            #expect(answer.status == 202)
        }
        let queue = try scenario.openQueue()

        var kills = 0
        var generator = SystemRandomNumberGenerator()
        while kills < 20 {
            let worker = try AgentProcess.worker(environment: environment)
            // Kill it at a random point after it began a job (or right away once nothing is left).
            _ = try await eventually("the worker to start a job", timeout: .seconds(30), every: .milliseconds(20)) {
                if worker.stderr.contains("job started") { return true }
                let counts = try await queue.stats().counts
                return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 ? true : nil
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...1200, using: &generator)))
            worker.kill()
            _ = try await worker.child.wait(timeout: .seconds(10))
            kills += 1
        }
        let killedMidJob = try await queue.database.read { db in
            try db.queryFirst("SELECT count(*) FROM attempts WHERE outcome = 'lease_expired' OR finished_at IS NULL", []) { $0.int(0) }
        } ?? 0
        #expect(killedMidJob >= 5, "kills should land while jobs run; only \(killedMidJob) attempts were cut short")

        // One last worker, left alone, finishes everything.
        let worker = try AgentProcess.worker(environment: environment)
        defer { worker.kill() }
        let counts = try await eventually("every job to finish", timeout: .seconds(90), every: .milliseconds(250)) {
            let counts = try await queue.stats().counts
            return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 ? counts : nil
        }
        #expect(counts == [.succeeded: pods.count], "\(counts)\n\(worker.stderr.suffix(3000))")

        let groups = try await SQLiteFailureGroupStore(database: queue.database).list()
        #expect(groups.count == failures.count)
        #expect(groups.allSatisfy { $0.issueURL != nil })
        let issues = try await scenario.peers.issues(repo: scenario.repository)
        #expect(issues.count == failures.count, "one issue per fingerprint, got \(issues.count)")
        for group in groups {
            let carrying = issues.filter { $0["body"]?.stringValue?.contains(Scenario.marker(group.fingerprint)) == true }
            #expect(carrying.count == 1, "fingerprint \(group.fingerprint) has \(carrying.count) issues")
            #expect(carrying.first?["html_url"]?.stringValue == group.issueURL)
        }
    }
}
