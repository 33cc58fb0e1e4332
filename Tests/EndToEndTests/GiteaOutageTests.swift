import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// 4. gitea-mcp goes down while the worker runs → the job is retried, then `dead` with a
    /// clear `last_error`; with the server back, `agentctl jobs retry ID` → `succeeded`.
    @Test(arguments: EndToEndTests.giteaServers) func giteaOutageEndsDeadThenRetrySucceeds(gitea: GiteaMCPServerKind) async throws {
        let first = "lint-run-a1b2c-unit-tests-pod"
        let second = "lint-run-d3e4f-unit-tests-pod"
        let scenario = try await Scenario(pods: [
            "ci/\(first)": FailingLogs.goTestFailure(run: 1, test: "TestLint"),
            "ci/\(second)": FailingLogs.goTestFailure(run: 2, test: "TestRender"),
        ], gitea: gitea)
        let run: [[String: Any]] = [
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci")]),
            ScriptedModel.text("Filed the issue."),
        ]
        try await scenario.model.script(run + run)
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment([
            "AGENT_MAX_ATTEMPTS": "3", "AGENT_RETRY_BASE_SECONDS": "1", "AGENT_RETRY_CAP_SECONDS": "1",
        ]))
        defer { agent.kill() }

        // A first report shows the worker is up and talking to both MCP servers.
        let warmUp = try await agent.report(namespace: "ci", pod: first, container: FailingLogs.container, wait: 120)
        #expect(warmUp.body["status"] == "success", "\(warmUp.body.jsonText)\n\(agent.stderr.suffix(3000))")

        scenario.peers.stopGiteaMCP()
        let answer = try await agent.report(namespace: "ci", pod: second, container: FailingLogs.container, wait: 120)
        #expect(answer.body["status"] == "error", "\(answer.body.jsonText)")
        let id = try Scenario.jobID(answer.location)
        let queue = try scenario.openQueue()
        let dead = try #require(try await queue.job(id: id))
        #expect(dead.state == .dead && dead.attempts == 3)
        let lastError = try #require(dead.lastError)
        #expect(lastError.contains("127.0.0.1:\(scenario.peers.giteaMCPPort)"), "the error names the server: \(lastError)")
        #expect(answer.body["result"]?.stringValue == lastError)
        let attempts = try await queue.attempts(jobID: id)
        #expect(attempts.map(\.outcome) == ["retry", "retry", "dead"])
        #expect(attempts.allSatisfy { $0.errorClass == "mcp_unreachable" }, "\(attempts.map(\.errorClass))")
        #expect(try await scenario.peers.issues(repo: scenario.repository).count == 1, "only the warm-up's issue")

        try await scenario.peers.restartGiteaMCP()
        let retried = try await AgentCtl.run(["jobs", "retry", String(id)], database: scenario.databasePath)
        #expect(retried.status == 0, "\(retried.stderr)")
        let finished = try await eventually("job \(id) to finish after the retry", timeout: .seconds(120)) {
            let job = try await queue.job(id: id)
            return job.map { $0.state.isActive } == false ? job : nil
        }
        #expect(finished.state == .succeeded, "\(finished.lastError ?? "")\n\(agent.stderr.suffix(3000))")
        let issues = try await scenario.peers.issues(repo: scenario.repository)
        #expect(issues.count == 2)
        let fingerprint = try #require(finished.fingerprint)
        #expect(issues.filter { $0["body"]?.stringValue?.contains(Scenario.marker(fingerprint)) == true }.count == 1)
        #expect(try await agent.job(id)["issue_url"]?.stringValue?.hasSuffix("/\(scenario.repository)/issues/2") == true)
    }
}
