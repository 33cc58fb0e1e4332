import Foundation
import MCPClient
import Queue
import Testing
import TestSupport
import Worker

extension EndToEndTests {
    /// 1. One report → one issue in the configured repo with the expected sections; the job
    /// succeeds with the issue URL; the transcript is stored.
    @Test(arguments: EndToEndTests.giteaServers) func oneReportMakesOneIssue(gitea: GiteaMCPServerKind) async throws {
        let pod = "build-app-run-k2x9p-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 1)], gitea: gitea)
        try await scenario.model.script([
            ScriptedModel.toolCall("pods_log", ["namespace": "ci", "name": pod, "container": FailingLogs.container], id: "call_log"),
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci/\(pod)")],
                                   id: "call_issue"),
            ScriptedModel.text("Filed the issue."),
        ])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }

        let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
        #expect(answer.status == 200, "\(answer.body.jsonText)\n\(agent.stderr)")
        #expect(answer.body["status"] == "success")
        let result = try #require(answer.body["result"]?.stringValue)
        let expectedURL = "\(scenario.peers.gitea.baseURL)/\(EndToEndPeers.owner)/\(scenario.repository)/issues/1"
        #expect(result == "Issue created: \(expectedURL)")

        let id = try Scenario.jobID(answer.location)
        let job = try await agent.job(id)
        #expect(job["state"] == "succeeded")
        #expect(job["issue_url"]?.stringValue == expectedURL)

        // One issue, in the configured repository, with the sections and the fingerprint marker.
        let issues = try await scenario.peers.issues(repo: scenario.repository)
        #expect(issues.count == 1)
        let body = try #require(issues.first?["body"]?.stringValue)
        for section in IssueDraft.sections { #expect(body.contains(section), "missing \(section) in \(body)") }
        let stored = try #require(try await scenario.openQueue().job(id: id))
        let fingerprint = try #require(stored.fingerprint)
        #expect(body.contains(Scenario.marker(fingerprint)))
        let created = try await scenario.peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"]?.stringValue?.hasSuffix("/issues") == true }
        #expect(created.map { $0["path"]?.stringValue } == ["/api/v1/repos/\(EndToEndPeers.owner)/\(scenario.repository)/issues"])
        let groups = try await SQLiteFailureGroupStore(database: try scenario.openQueue().database).list()
        #expect(groups.count == 1 && groups.first?.issueURL == expectedURL && groups.first?.occurrences == 1)

        // The transcript: the prompt, the log read, the issue created, the closing words.
        let transcript = try await AgentCtl.transcript(job: id, database: scenario.databasePath)
        #expect(transcript["job_id"]?.intValue == Int(id))
        #expect(transcript.toolCallNames == ["pods_log", "create_issue"])
        let roles = (transcript["messages"]?.arrayValue ?? []).compactMap { $0["role"]?.stringValue }
        #expect(roles == ["system", "user", "assistant", "tool", "assistant", "tool", "assistant"])
        let toolReplies = (transcript["messages"]?.arrayValue ?? []).filter { $0["role"] == "tool" }.compactMap { $0["content"]?.stringValue }
        #expect(toolReplies.first?.contains("config_test.go:42") == true)
        #expect(try await scenario.modelRuns().count == 1)
    }
}
