import Foundation
import JSON
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// A small model copies the prompt's example twice (and once writes JSON imitating a
    /// call): the worker files no garbage but its fallback issue, which quotes the failure's
    /// key line, and the job's result says `analysis: fallback`.
    @Test(arguments: ["copy", "bogus"]) func aSmallModelsGarbageBecomesTheFallbackIssue(mode: String) async throws {
        let pod = "build-app-run-f4llb-unit-tests-pod-\(mode)"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 3)])
        let step = mode == "copy" ? ScriptedModel.copyExample : ScriptedModel.bogusCall
        try await scenario.model.script([step, step])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }

        let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
        #expect(answer.body["status"] == "success", "\(answer.body.jsonText)\n\(agent.stderr.suffix(3000))")
        let id = try Scenario.jobID(answer.location)
        let issues = try await scenario.peers.issues(repo: scenario.repository)
        #expect(issues.count == 1)
        let title = issues.first?["title"]?.stringValue ?? ""
        let body = issues.first?["body"]?.stringValue ?? ""
        #expect(!title.contains("```") && !title.contains("<") && !title.contains("{"), "\(title)")
        #expect(title.contains("--- FAIL: TestParseConfig"), "\(title)")
        #expect(body.contains("automatic analysis unavailable: the model's answer failed the quality checks"), "\(body)")
        #expect(body.contains("--- FAIL: TestParseConfig") && body.contains("config_test.go:42"))
        #expect(!body.contains("<the failing step") && !body.contains("\"arguments\""))
        for section in IssueDraft.sections { #expect(body.contains(section)) }
        let stored = try #require(try await scenario.openQueue().job(id: id))
        let result = try JSONValue.decode(Data((stored.result ?? "").utf8))
        #expect(result["analysis"]?.stringValue == "fallback")
        #expect(agent.stderr.contains("analysis=fallback"))
    }
}
