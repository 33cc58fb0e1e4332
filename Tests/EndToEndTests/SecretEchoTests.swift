import Foundation
import MCPClient
import Queue
import Store
import Testing
import TestSupport

extension EndToEndTests {
    /// 6, the other path: the model files the issue itself through create_issue and quotes the
    /// secrets in its title and body → the issue and the transcript carry none of them, and
    /// nothing the worker sends to the model does — not even the model's own earlier turn,
    /// which goes back to it redacted as chat history.
    @Test func secretsInTheModelsIssueCallAreRedacted() async throws {
        let pod = "release-run-e4ch0-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 8)])
        let quoted = Self.plantedSecrets.map(\.line).joined(separator: "\n")
        try await scenario.model.script([
            ScriptedModel.toolCall("create_issue", [
                "title": "Login fails with DB_PASSWORD=PlantedDbPassw0rd",
                "body": IssueDraft.body(place: "ci/\(pod)") + "\n\nThe log shows:\n" + quoted,
            ]),
            ScriptedModel.text("Filed the issue."),
        ])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }
        let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
        #expect(answer.body["status"] == "success", "\(answer.body.jsonText)\n\(agent.stderr.suffix(3000))")
        let id = try Scenario.jobID(answer.location)

        let issues = try await scenario.peers.issues(repo: scenario.repository)
        #expect(issues.count == 1)
        #expect(issues.first?["body"]?.stringValue?.contains("[REDACTED:") == true)
        let stored = try await scenario.openQueue().database.read { db in
            try db.query("SELECT coalesce(content, '') || coalesce(tool_arguments, '') || coalesce(tool_result, '') || coalesce(tool_calls, '') FROM transcript_entries WHERE job_id = ?", [id]) { $0.string(0) }
        }.joined(separator: "\n")
        let places: [(String, String)] = [
            ("model requests", Self.strings(in: try await scenario.model.requests().map { request in
                (request["messages"] as? [[String: Any]]) ?? []
            })),
            ("agentctl transcript", Self.strings(in: try await AgentCtl.transcript(job: id, database: scenario.databasePath))),
            ("stored transcript", stored),
            ("fake Gitea requests", try await scenario.peers.giteaRequests().map(Self.strings(in:)).joined(separator: "\n")),
        ]
        for (place, text) in places {
            for secret in Self.plantedSecrets where text.contains(secret.value) {
                Issue.record("the \(secret.kind) \(secret.value) leaked into the \(place)")
            }
        }
    }
}
