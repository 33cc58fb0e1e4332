import Foundation
import MCPClient
import Queue
import Testing
import TestSupport
import Worker

extension EndToEndTests {
    /// 2. 50 reports of the same failure on 50 pods (different timestamps and ids) → one issue,
    /// 49 occurrence comments, at most two model runs.
    @Test(arguments: EndToEndTests.giteaServers) func fiftyPodsWithOneFailureMakeOneIssue(gitea: GiteaMCPServerKind) async throws {
        let pods = (0..<50).map { "build-app-run\($0)-x\(UUID().uuidString.prefix(4).lowercased())-unit-tests-pod" }
        var fixtures: [String: String] = [:]
        for (index, pod) in pods.enumerated() { fixtures["ci/\(pod)"] = FailingLogs.goTestFailure(run: index) }
        let scenario = try await Scenario(pods: fixtures, gitea: gitea)
        // Enough for two runs; a third run would get "script exhausted" and fail its job.
        let run: [[String: Any]] = [
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci")]),
            ScriptedModel.text("Filed the issue."),
        ]
        try await scenario.model.script(run + run)
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }

        var ids: [Int64] = []
        for pod in pods {
            let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container)
            #expect(answer.status == 202, "\(answer.body.jsonText)")
            ids.append(try Scenario.jobID(answer.location))
        }
        #expect(Set(ids).count == 50)

        let queue = try scenario.openQueue()
        let counts = try await eventually("50 jobs to finish", timeout: .seconds(180), every: .milliseconds(500)) {
            let counts = try await queue.stats().counts
            return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 ? counts : nil
        }
        #expect(counts == [.succeeded: 50], "\(agent.stderr.suffix(3000))")

        let posts = try await scenario.peers.giteaRequests().filter { $0["method"] == "POST" }
        let base = "/api/v1/repos/\(EndToEndPeers.owner)/\(scenario.repository)/issues"
        #expect(posts.filter { $0["path"]?.stringValue == base }.count == 1)
        let comments = posts.filter { $0["path"]?.stringValue == base + "/1/comments" }.compactMap { $0["body"]?["body"]?.stringValue }
        #expect(comments.count == 49)
        // Each occurrence names its pod: 49 different pods, the creator's pod not among them.
        let named = Set(pods.filter { pod in comments.contains { $0.contains("ci/\(pod)/\(FailingLogs.container)") } })
        #expect(named.count == 49, "comments name \(named.count) pods: \(comments.prefix(2))")
        #expect(posts.count == 50, "nothing else was posted")
        #expect(try await scenario.peers.issues(repo: scenario.repository).count == 1)

        let groups = try await SQLiteFailureGroupStore(database: queue.database).list()
        #expect(groups.count == 1 && groups.first?.occurrences == 50)
        let runs = try await scenario.modelRuns().count
        #expect(runs >= 1 && runs <= 2)
        for id in ids {
            let job = try await agent.job(id)
            #expect(job["issue_url"]?.stringValue?.hasSuffix("/\(scenario.repository)/issues/1") == true)
        }
    }
}
