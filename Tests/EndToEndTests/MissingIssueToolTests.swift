import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// A Gitea MCP server without a comment tool (Gitea's server built or configured without
    /// create_issue_comment) cannot record repeated failures: the worker leases nothing, and its
    /// log says which capability is missing and which tools the server offers.
    @Test func aGiteaServerWithoutACommentToolGetsNoJobs() async throws {
        let pod = "nocomment-run-h3j4k-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 4)], gitea: .go,
                                          giteaWithout: ["create_issue_comment"])
        try await scenario.model.script([ScriptedModel.text("unused")])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }
        let id = try Scenario.jobID(try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container).location)

        let message = try await eventually("the worker to refuse the Gitea server", timeout: .seconds(60)) {
            agent.stderr.split(separator: "\n").first { $0.contains("peers not ready") && $0.contains("comment on an issue") }
        }
        #expect(message.contains("create_issue"), "names what the server offers: \(message)")
        #expect(!message.contains("cannot create an issue"), "creating is not what is missing: \(message)")
        // A second readiness round (1 s later) still leases nothing.
        _ = try await eventually("a second refusal", timeout: .seconds(30)) {
            agent.stderr.components(separatedBy: "comment on an issue").count > 2 ? true : nil
        }
        let job = try #require(try await scenario.openQueue().job(id: id))
        #expect(job.state == .queued && job.attempts == 0)
        #expect(try await scenario.modelRuns().isEmpty)
        #expect(try await scenario.peers.issues(repo: scenario.repository).isEmpty)
    }
}
