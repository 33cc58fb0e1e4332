import Foundation
import JSON
import MCPClient
import Queue
import Testing
import TestSupport
import Worker

/// The database an end-to-end test gives the agent.
enum EndToEndDatabase: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// `AGENT_DB`: nil for the scenario's own SQLite file, or a fresh PostgreSQL database.
    func location() async throws -> String? {
        switch self {
        case .sqlite: nil
        case .postgres: try await PostgresCluster.shared.createDatabase()
        }
    }
}

extension EndToEndTests {
    /// Both Gitea MCP servers on SQLite, and PostgreSQL with the Go server (the Gitea server
    /// and the database are independent seams: the cross product adds nothing).
    static let oneReportCases: [(GiteaMCPServerKind, EndToEndDatabase)] =
        giteaServers.map { ($0, .sqlite) } + [(.go, .postgres)]

    /// 1. One report → one issue in the configured repo with the expected sections; the job
    /// succeeds with the issue URL; the job, group and transcript are in the database (read
    /// through the storage seams and agentctl, so the same checks hold on both engines).
    @Test(arguments: EndToEndTests.oneReportCases)
    func oneReportMakesOneIssue(gitea: GiteaMCPServerKind, database: EndToEndDatabase) async throws {
        let pod = "build-app-run-k2x9p-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 1)], gitea: gitea,
                                          database: try await database.location())
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
        let storage = try await scenario.openStorage()
        let stored = try #require(try await storage.queue.job(id: id))
        #expect(stored.state == .succeeded)
        let fingerprint = try #require(stored.fingerprint)
        #expect(body.contains(Scenario.marker(fingerprint)))
        #expect(try await storage.queue.attempts(jobID: id).map(\.outcome) == ["succeeded"])
        let created = try await scenario.peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"]?.stringValue?.hasSuffix("/issues") == true }
        #expect(created.map { $0["path"]?.stringValue } == ["/api/v1/repos/\(EndToEndPeers.owner)/\(scenario.repository)/issues"])
        let groups = try await storage.groups.list()
        #expect(groups.count == 1 && groups.first?.issueURL == expectedURL && groups.first?.occurrences == 1)
        // The group is titled as its issue (the web UI and `agentctl groups` show it).
        #expect(groups.first?.title == IssueDraft.title, "\(groups.first?.title ?? "nil")")
        await storage.shutdown()

        // The transcript: the prompt, the log read, the issue created, the closing words.
        let transcript = try await AgentCtl.transcript(job: id, database: scenario.databasePath)
        #expect(transcript["job_id"]?.intValue == Int(id))
        #expect(transcript.toolCallNames == ["pods_log", "create_issue"])
        let roles = (transcript["messages"]?.arrayValue ?? []).compactMap { $0["role"]?.stringValue }
        #expect(roles == ["system", "user", "assistant", "tool", "assistant", "tool", "assistant"])
        let toolReplies = (transcript["messages"]?.arrayValue ?? []).filter { $0["role"] == "tool" }.compactMap { $0["content"]?.stringValue }
        #expect(toolReplies.first?.contains("config_test.go:42") == true)
        #expect(try await scenario.modelRuns().count == 1)
        let listed = try await AgentCtl.run(["jobs", "list", "--json"], database: scenario.databasePath)
        #expect(listed.status == 0, "\(listed.stderr)")
        let listedIDs = try JSONValue.decode(Data(listed.stdout.utf8))["jobs"]?.arrayValue?.compactMap { $0["id"]?.intValue }
        #expect(listedIDs == [Int(id)])
    }
}
