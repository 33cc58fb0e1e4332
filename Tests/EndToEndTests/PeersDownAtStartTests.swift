import Foundation
import HTTPClient
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// A worker whose Gitea MCP server is down at start keeps its jobs queued (no attempt
    /// used, no crash), and works them once the server is up. Its status port tells: not ready
    /// while the server is down; ready, with the job and its tokens counted, after; not ready
    /// again when the server goes away.
    @Test func aWorkerWaitsForItsPeersWithoutUsingAttempts() async throws {
        let pod = "late-run-p8q2w-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 9)])
        try await scenario.model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci/\(pod)")]),
            ScriptedModel.text("Filed the issue."),
        ])
        scenario.peers.stopGiteaMCP()
        let statusPort = try TestPeer.freePort()
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment([
            "AGENT_MAX_ATTEMPTS": "1", "AGENT_WORKER_PORT": String(statusPort), "AGENT_WORKER_HOST": "127.0.0.1",
        ]))
        let status = "http://127.0.0.1:\(statusPort)"
        defer { agent.kill() }
        let id = try Scenario.jobID(try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container).location)

        _ = try await eventually("the worker to find its peers down twice", timeout: .seconds(60)) {
            agent.stderr.components(separatedBy: "peers not ready").count > 2 ? true : nil
        }
        let queue = try scenario.openQueue()
        let waiting = try #require(try await queue.job(id: id))
        #expect(waiting.state == .queued && waiting.attempts == 0)
        #expect(agent.child.process.isRunning)
        #expect(try await HTTPClient().send(HTTPRequest(url: status + "/healthz")).status == 200)
        #expect(try await HTTPClient().send(HTTPRequest(url: status + "/readyz")).status == 503)

        try await scenario.peers.restartGiteaMCP()
        let job = try await eventually("job \(id) to finish", timeout: .seconds(90)) {
            let job = try await queue.job(id: id)
            return job.map { $0.state.isActive } == false ? job : nil
        }
        #expect(job.state == .succeeded && job.attempts == 1, "\(job.lastError ?? "")")
        #expect(try await scenario.peers.issues(repo: scenario.repository).count == 1)

        _ = try await eventually("the worker to be ready", timeout: .seconds(30)) {
            try await HTTPClient().send(HTTPRequest(url: status + "/readyz")).status == 200 ? true : nil
        }
        let metrics = try await HTTPClient().send(HTTPRequest(url: status + "/metrics")).text
        #expect(metrics.contains(#"pipeline_agent_worker_jobs_total{outcome="succeeded",error_class=""} 1"#), "\(metrics)")
        #expect(metrics.contains("pipeline_agent_worker_attempt_duration_seconds_count"))
        let tokensIn = metrics.split(separator: "\n").first { $0.hasPrefix(#"pipeline_agent_model_tokens_total{direction="in"}"#) }
        #expect(Int(tokensIn?.split(separator: " ").last ?? "") ?? 0 > 0, "\(metrics)")
        #expect(metrics.contains("pipeline_agent_queue_depth 0"))

        // Probes ping the peers (at most every 5 s); they do not resolve tools or log at info.
        try await Task.sleep(for: .seconds(6))
        #expect(try await HTTPClient().send(HTTPRequest(url: status + "/readyz")).status == 200)
        #expect(agent.stderr.components(separatedBy: "Gitea issue tools resolved").count == 2, "logged once, at start")
        // A peer that goes away after start makes the worker not ready (its tools stay cached,
        // so only asking the server tells).
        scenario.peers.stopGiteaMCP()
        _ = try await eventually("the worker to be not ready", timeout: .seconds(30)) {
            try await HTTPClient().send(HTTPRequest(url: status + "/readyz")).status == 503 ? true : nil
        }
    }
}
