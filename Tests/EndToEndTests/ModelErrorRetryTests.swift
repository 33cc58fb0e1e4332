import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// 3. The model answers 500 twice, then works → `succeeded` on attempt 3, and the gaps
    /// between attempts follow the retry policy (base 1 s, cap 2 s, jitter up to 50 % shorter).
    @Test func modelErrorsAreRetriedWithBackoff() async throws {
        let pod = "deploy-run-m4q7z-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 3)])
        try await scenario.model.script([
            ["status": 500, "error": "upstream exploded"],
            ["status": 500, "error": "upstream exploded again"],
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci/\(pod)")]),
            ScriptedModel.text("Filed the issue."),
        ])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment([
            "AGENT_RETRY_BASE_SECONDS": "1", "AGENT_RETRY_CAP_SECONDS": "2", "AGENT_MAX_ATTEMPTS": "5",
        ]))
        defer { agent.kill() }

        let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
        #expect(answer.body["status"] == "success", "\(answer.body.jsonText)\n\(agent.stderr.suffix(3000))")
        let id = try Scenario.jobID(answer.location)
        let queue = try scenario.openQueue()
        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .succeeded && job.attempts == 3)

        let attempts = try await queue.attempts(jobID: id)
        #expect(attempts.map(\.attempt) == [1, 2, 3])
        #expect(attempts.map(\.outcome) == ["retry", "retry", "succeeded"])
        #expect(attempts.prefix(2).allSatisfy { $0.errorClass?.contains("retryable") == true }, "\(attempts)")
        #expect(attempts.prefix(2).allSatisfy { $0.error?.contains("500") == true || $0.error?.contains("exploded") == true },
                "\(attempts.map(\.error))")
        // Retry n waits min(cap, base·2^(n-1)), shortened by up to half: [0.5, 1] s then [1, 2] s.
        // The upper bound allows for the worker's poll interval and a loaded machine.
        for (index, ceiling) in [(0, 1.0), (1, 2.0)] {
            let finished = try #require(attempts[index].finishedAt)
            let gap = attempts[index + 1].startedAt.timeIntervalSince(finished)
            #expect(gap >= ceiling * 0.5 - 0.01, "retry \(index + 1) came after \(gap) s")
            #expect(gap <= ceiling + 2.5, "retry \(index + 1) came after \(gap) s")
        }
        #expect(try await scenario.model.requests().count == 4)
        #expect(try await scenario.peers.issues(repo: scenario.repository).count == 1)
    }
}
