import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// A worker whose Gitea MCP server is down at start keeps its jobs queued (no attempt
    /// used, no crash), and works them once the server is up.
    @Test func aWorkerWaitsForItsPeersWithoutUsingAttempts() async throws {
        let pod = "late-run-p8q2w-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 9)])
        try await scenario.model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci/\(pod)")]),
            ScriptedModel.text("Filed the issue."),
        ])
        scenario.peers.stopGiteaMCP()
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment(["AGENT_MAX_ATTEMPTS": "1"]))
        defer { agent.kill() }
        let id = try Scenario.jobID(try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container).location)

        _ = try await eventually("the worker to find its peers down twice", timeout: .seconds(60)) {
            agent.stderr.components(separatedBy: "peers not ready").count > 2 ? true : nil
        }
        let queue = try scenario.openQueue()
        let waiting = try #require(try await queue.job(id: id))
        #expect(waiting.state == .queued && waiting.attempts == 0)
        #expect(agent.child.process.isRunning)

        try await scenario.peers.restartGiteaMCP()
        let job = try await eventually("job \(id) to finish", timeout: .seconds(90)) {
            let job = try await queue.job(id: id)
            return job.map { $0.state.isActive } == false ? job : nil
        }
        #expect(job.state == .succeeded && job.attempts == 1, "\(job.lastError ?? "")")
        #expect(try await scenario.peers.issues(repo: scenario.repository).count == 1)
    }
}
