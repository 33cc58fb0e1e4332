import Agent
import Foundation
import JSON
import LLMClient
import MCPClient
import Store
import Testing
import TestSupport

/// The agent against real peers: LiteLLM + scripted model, the Kubernetes MCP stand-in and
/// gitea-mcp in front of the fake Gitea.
@Suite(.serialized) struct AgentEndToEndTests {
    let peers: AgentPeers

    init() async throws {
        peers = try await AgentPeers.shared()
    }

    static let context = PodContext(
        namespace: "ci", pod: AgentPeers.pod, container: AgentPeers.container,
        pipelineRun: "build-and-test-run-7x9k2", task: "unit-tests")
    static var podsLogArguments: [String: Any] { ["namespace": "ci", "name": AgentPeers.pod, "container": AgentPeers.container] }

    func agent(_ model: ScriptedModel, router: ToolRouter, policy: ToolPolicy, maxIterations: Int = 10,
               maxToolResultBytes: Int = 16 * 1024, tokenBudget: Int = 100_000,
               redact: @escaping @Sendable (String) -> String = { $0 }) -> AnalysisAgent {
        AnalysisAgent(
            model: peers.chatClient(model), router: router,
            configuration: AgentConfiguration(
                policy: policy, maxIterations: maxIterations, tokenBudget: tokenBudget, maxToolResultBytes: maxToolResultBytes),
            redact: redact)
    }

    /// Tool messages the model received in its `index`-th request.
    func toolMessages(_ requests: [[String: Any]], _ index: Int) -> [String] {
        ((requests[index]["messages"] as? [[String: Any]]) ?? []).filter { $0["role"] as? String == "tool" }
            .compactMap { $0["content"] as? String }
    }

    @Test func readsLogsThenCreatesOneIssueInTheConfiguredRepository() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("pods_log", Self.podsLogArguments, id: "call_log"),
            // The model names another repository: the policy must override it.
            ScriptedModel.toolCall("create_issue", [
                "owner": "attacker", "repo": "elsewhere", "title": IssueFixture.title, "body": IssueFixture.body,
            ], id: "call_issue"),
            // A second create in the same run is refused: one failure, one issue.
            ScriptedModel.toolCall("create_issue", [
                "owner": "team", "repo": repository.repo, "title": "again", "body": "duplicate",
            ], id: "call_again"),
            ScriptedModel.text("Created the issue for the failed unit tests."),
        ])
        let (router, clients) = try await peers.router()
        let directory = TemporaryDirectory()
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let jobID = try await database.write { connection in
            try connection.execute(
                "INSERT INTO jobs (namespace, pod, container, run_after, created_at, updated_at) VALUES ('ci', ?, ?, 0, 0, 0)",
                [AgentPeers.pod, AgentPeers.container])
            return connection.lastInsertRowID
        }
        let transcripts = SQLiteTranscriptStore(database: database)
        let store = transcripts.recorder(jobID: jobID, attempt: 1)

        let marker = "<!-- pipeline-agent:fingerprint=0123abcd -->"
        let policy = ToolPolicy(repository: repository, issueBodyMarker: marker)
        let outcome = try await agent(model, router: router, policy: policy)
            .run(context: Self.context, evidence: "exit status 1", transcript: store)
        for client in clients { await client.close() }

        #expect(outcome.issueCreated)
        #expect(outcome.issue?.number == 1)
        #expect(outcome.issue?.url?.hasSuffix("/\(repository.fullName)/issues/1") == true)
        #expect(outcome.finalText == "Created the issue for the failed unit tests.")
        #expect(outcome.iterations == 4)

        // Exactly one issue, in the configured repository, with the expected sections.
        let issues = try await peers.issues(owner: repository.owner, repo: repository.repo)
        #expect(issues.count == 1)
        let body = try #require(issues.first?["body"]?.stringValue)
        for section in ["## Cluster/namespace location", "## Summary", "## Detailed error", "## Possible causes and solutions"] {
            #expect(body.contains(section))
        }
        // First, so that a listing cutting bodies to a preview still shows it.
        #expect(body.hasPrefix(marker + "\n\n"))
        #expect(body.components(separatedBy: marker).count == 2)
        let paths = try await peers.giteaRequests().compactMap { $0["path"]?.stringValue }
        #expect(!paths.contains { $0.contains("attacker") || $0.contains("elsewhere") })

        // The model saw the prompt with the pod context and then the real log.
        let requests = try await model.requests()
        #expect(requests.count == 4)
        #expect(toolMessages(requests, 3).last?.contains("already created") == true)
        let firstMessages = try #require(requests[0]["messages"] as? [[String: Any]])
        let prompt = try #require(firstMessages[1]["content"] as? String)
        #expect(prompt.contains("PipelineRun: build-and-test-run-7x9k2") && prompt.contains("## Detailed error"))
        let offered = ((requests[0]["tools"] as? [[String: Any]]) ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(Set(offered).isSuperset(of: ["pods_log", "pods_get", "events_list", "create_issue"]))
        #expect(!offered.contains("update_issue"))
        #expect(toolMessages(requests, 1).first?.contains("config_test.go:42: expected port 8080, got 0") == true)

        // The transcript is stored, in order, with model metadata.
        let entries = try await transcripts.entries(jobID: jobID, attempt: 1)
        #expect(entries.map(\.role) == [.system, .user, .assistant, .tool, .assistant, .tool, .assistant, .tool, .assistant])
        #expect(entries.map(\.seq) == Array(0..<9))
        let firstAnswer = entries[2]
        #expect(firstAnswer.toolCalls.map(\.name) == ["pods_log"])
        #expect(firstAnswer.model == model.name)
        #expect((firstAnswer.tokensIn ?? 0) > 0 && firstAnswer.tokensOut == 12)
        #expect(firstAnswer.latencyMilliseconds != nil)
        let issueCall = entries[5]
        #expect(issueCall.toolName == "create_issue" && issueCall.toolCallID == "call_issue")
        let sent = try JSONValue.decode(Data(try #require(issueCall.toolArguments).utf8))
        #expect(sent["owner"] == .string(repository.owner) && sent["repo"] == .string(repository.repo))

        // agentctl prints it, readable and as OpenAI messages.
        let agentctl = try BuildProducts.executable("agentctl")
        let readable = try await ChildProcess.run(agentctl, ["transcript", String(jobID), "--db", database.path])
        #expect(readable.status == 0, "\(readable.stderr)")
        for text in ["[0] SYSTEM", "[3] TOOL", "pods_log (call_log)", "expected port 8080", "→ create_issue", "\"owner\" : \"team\""] {
            #expect(readable.stdout.contains(text), "missing \(text) in:\n\(readable.stdout)")
        }
        #expect(!readable.stdout.contains("\u{1B}["), "no colours when not on a terminal")
        let json = try await ChildProcess.run(agentctl, ["transcript", String(jobID), "--db", database.path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try JSONValue.decode(Data(json.stdout.utf8))
        let messages = try #require(document["messages"]?.arrayValue)
        #expect(messages.compactMap { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant"])
        #expect(messages[2]["tool_calls"]?.arrayValue?.first?["function"]?["name"] == "pods_log")
        #expect(messages[3]["tool_call_id"] == "call_log")
        #expect(document["job_id"]?.intValue == Int(jobID) && document["attempt"]?.intValue == 1)
        let missing = try await ChildProcess.run(agentctl, ["transcript", String(jobID), "--attempt", "2", "--db", database.path])
        #expect(missing.status == 1 && missing.stderr.contains("no transcript for attempt 2"))
    }

    @Test func aCreateThatAnsweredAnErrorIsNotRepeated() async throws {
        // Gitea stored the issue and then answered 500: another create would be a duplicate.
        let repository = IssueRepository(owner: "team", repo: "fail-after-create-\(UUID().uuidString.prefix(8).lowercased())")
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body], id: "call_first"),
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body], id: "call_again"),
            ScriptedModel.text("## Summary\nTestParseConfig failed."),
        ])
        let (router, clients) = try await peers.router()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: repository))
            .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        #expect(outcome.issue == nil && outcome.issueCreateAttempted)
        let requests = try await model.requests()
        #expect(toolMessages(requests, 1).first?.hasPrefix("Error") == true)
        #expect(toolMessages(requests, 2).last?.contains("was already called for this failure") == true)
        let posts = try await peers.giteaRequests().filter {
            $0["method"] == "POST" && $0["path"]?.stringValue == "/api/v1/repos/team/\(repository.repo)/issues"
        }
        #expect(posts.count == 1)
    }

    @Test func kubernetesToolsAreHeldToTheAnalysedPod() async throws {
        // A log line planted by a pull request asks for another namespace's pod: the call is
        // made for the analysed pod instead, and events are listed for its namespace only.
        let model = peers.llm.model()
        try await model.script([
            ["tool_calls": [
                ["name": "pods_log", "arguments": ["namespace": "vault", "name": "vault-0", "container": AgentPeers.container]],
                ["name": "pods_get", "arguments": ["name": "vault-0"]],
                ["name": "events_list", "arguments": [String: Any]()],
            ]],
            ScriptedModel.text("done"),
        ])
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        _ = try await agent(model, router: router, policy: ToolPolicy(repository: nil))
            .run(context: Self.context, evidence: "", transcript: transcript)
        for client in clients { await client.close() }
        let replies = toolMessages(try await model.requests(), 1)
        #expect(replies.count == 3)
        #expect(replies[0].contains("expected port 8080"), "the analysed pod's log, not vault-0's")
        #expect(replies[1].contains("name: \(AgentPeers.pod)") && replies[1].contains("namespace: ci"))
        #expect(!replies[2].contains("# No events found"))
        let sent = await transcript.entries.compactMap(\.toolArguments)
        #expect(sent.count == 3 && sent.allSatisfy { $0.contains(#""namespace":"ci""#) })
        #expect(sent.prefix(2).allSatisfy { $0.contains(AgentPeers.pod) } && !sent.contains { $0.contains("vault") })
    }

    @Test func textWrittenToolCallIsExecuted() async throws {
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.text(#"<|python_tag|>{"name": "pods_log", "parameters": {"namespace": "ci", "name": "\#(AgentPeers.pod)", "container": "step-unit-tests", "tailLines": 3}}"#),
            ScriptedModel.text(IssueFixture.text),
        ])
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: AgentPeers.uniqueRepository()))
            .run(context: Self.context, evidence: "L7: " + IssueFixture.quotedLine, transcript: transcript)
        for client in clients { await client.close() }
        #expect(!outcome.issueCreated)
        #expect(outcome.finalText == IssueFixture.text && outcome.rejection == nil)
        let requests = try await model.requests()
        #expect(toolMessages(requests, 1) == ["FAIL\nFAIL\nexit status 1\n"] || toolMessages(requests, 1).first?.contains("exit status 1") == true)
        let entries = await transcript.entries
        #expect(entries[2].toolCalls.map(\.name) == ["pods_log"])
        #expect(entries[2].toolCalls.first?.id == "text_call_1")
    }

    @Test func toolsOutsideTheAllowlistNeverReachAServer() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            ["tool_calls": [
                ["name": "update_issue", "arguments": ["owner": repository.owner, "repo": repository.repo, "index": 1, "state": "closed"]],
                ["name": "pods_delete", "arguments": ["namespace": "ci", "name": AgentPeers.pod]],
            ]],
            ScriptedModel.text("I cannot do that."),
            ScriptedModel.text("I cannot do that."),
        ])
        let before = try await peers.giteaRequests().count
        let (router, clients) = try await peers.router()
        #expect(router.route("update_issue") != nil, "gitea-mcp offers it; only the policy stops it")
        let transcript = InMemoryTranscript()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: repository))
            .run(context: Self.context, evidence: "", transcript: transcript)
        for client in clients { await client.close() }
        // No issue text, even after the repair turn: the worker files its fallback issue.
        #expect(outcome.finalText == "I cannot do that." && outcome.rejection != nil)
        let replies = toolMessages(try await model.requests(), 1)
        #expect(replies.count == 2)
        #expect(replies.allSatisfy { $0.contains("is not allowed here") && $0.contains("The call was not made") })
        #expect(try await peers.giteaRequests().count == before)
        let refusals = await transcript.entries.filter { $0.role == .tool }
        #expect(refusals.map(\.toolName) == ["update_issue", "pods_delete"])
    }

    /// Error texts quote what they were given: they are redacted before the model and the
    /// transcript see them, like results.
    @Test func errorTextsAreRedacted() async throws {
        let secret = "Zq8s2kLm0xWqPv7n"
        let model = peers.llm.model()
        try await model.script([
            ["tool_calls": [["name": "pods_get", "arguments": "[\"DB_PASSWORD=\(secret)\"]"]]],
            ScriptedModel.text("done"),
        ])
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        let redact: @Sendable (String) -> String = { $0.replacingOccurrences(of: secret, with: "[REDACTED:secret]") }
        _ = try await agent(model, router: router, policy: ToolPolicy(repository: AgentPeers.uniqueRepository()), redact: redact)
            .run(context: Self.context, evidence: "", transcript: transcript)
        for client in clients { await client.close() }
        let replies = toolMessages(try await model.requests(), 1)
        #expect(replies.count == 1 && replies.allSatisfy { $0.contains("must be a JSON object") && !$0.contains(secret) }, "\(replies)")
        #expect(await transcript.entries.filter { $0.role == .tool }.allSatisfy { !($0.content ?? "").contains(secret) })
    }

    @Test func unknownToolsAndBadArgumentsGoBackToTheModel() async throws {
        let model = peers.llm.model()
        try await model.script([
            ["tool_calls": [
                ["name": "pods_exec", "arguments": ["command": "ls"]],
                ["name": "create_issue", "arguments": ["body": "no title"]],
                ["name": "pods_get", "arguments": "[1, 2]"],
            ]],
            ScriptedModel.text("done"),
        ])
        var policy = ToolPolicy(repository: nil)
        policy.allowedTools.insert("pods_exec")
        let (router, clients) = try await peers.router()
        _ = try await agent(model, router: router, policy: policy).run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        let replies = toolMessages(try await model.requests(), 1)
        #expect(replies.count == 3)
        #expect(replies[0].hasPrefix("Error: unknown tool 'pods_exec'"))
        // The quality gates see the create first: it has no title.
        #expect(replies[1].contains("the issue was not created") && replies[1].contains("the title is empty"))
        #expect(replies[2].contains("must be a JSON object"))
    }

    @Test func aLoopingModelStopsAtMaxIterations() async throws {
        let model = peers.llm.model()
        try await model.script(Array(repeating: ScriptedModel.toolCall("events_list", ["namespace": "ci"]), count: 6))
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        do {
            _ = try await agent(model, router: router, policy: ToolPolicy(repository: nil), maxIterations: 3)
                .run(context: Self.context, evidence: "", transcript: transcript)
            Issue.record("expected the loop to stop")
        } catch {
            guard case .maxIterationsReached(3, _) = error else { Issue.record("\(error)"); return }
            #expect(error.errorClass == .invalidOutput)
            #expect("\(error)".contains("after 3 iterations"))
        }
        for client in clients { await client.close() }
        #expect(try await model.requests().count == 3)
        #expect(await transcript.entries.filter { $0.role == .assistant }.count == 3)
    }

    @Test func toolResultsAreRedactedAndCapped() async throws {
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("pods_log", Self.podsLogArguments),
            ScriptedModel.text("done"),
        ])
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        let redact: @Sendable (String) -> String = { $0.replacingOccurrences(of: "8080", with: "[REDACTED:port]") }
        _ = try await agent(model, router: router, policy: ToolPolicy(repository: nil), maxToolResultBytes: 120, redact: redact)
            .run(context: Self.context, evidence: "expected port 8080", transcript: transcript)
        for client in clients { await client.close() }
        let requests = try await model.requests()
        let reply = try #require(toolMessages(requests, 1).first)
        #expect(reply.contains("bytes omitted"))
        #expect(reply.utf8.count < 200)
        let everything = String(decoding: try JSONSerialization.data(withJSONObject: requests), as: UTF8.self)
        #expect(!everything.contains("8080"), "the model saw an unredacted value")
        let stored = try #require(await transcript.entries.first { $0.role == .tool })
        #expect(stored.content == reply)
        let full = try #require(stored.toolResult)
        #expect(full.contains("expected port [REDACTED:port], got 0") && !full.contains("8080"))
    }

    @Test func dryRunWithholdsTheIssueAndShowsIt() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["owner": "x", "repo": "y", "title": IssueFixture.title, "body": IssueFixture.body + "\ntoken=hunter2"]),
            ScriptedModel.text("Issue prepared."),
        ])
        let (router, clients) = try await peers.router()
        let outcome = try await agent(
            model, router: router, policy: ToolPolicy(repository: repository, dryRun: true),
            redact: { $0.replacingOccurrences(of: "hunter2", with: "[REDACTED:token]") })
            .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        #expect(!outcome.issueCreated)
        #expect(outcome.withheldCalls.map(\.name) == ["create_issue"])
        #expect(outcome.proposedIssue?.title == IssueFixture.title)
        #expect(outcome.proposedIssue?.body?.hasSuffix("token=[REDACTED:token]") == true, "issue bodies are redacted")
        #expect(outcome.proposedIssue?.arguments.contains(#""repo":"\#(repository.repo)""#) == true)
        #expect(try await peers.issues(owner: repository.owner, repo: repository.repo).isEmpty)
        let requests = try await model.requests()
        #expect(((requests[0]["messages"] as? [[String: Any]])?.first?["content"] as? String)?.contains("dry run") == true)
    }

    @Test func tokenBudgetStopsTheRun() async throws {
        let model = peers.llm.model()
        try await model.script([
            ["tool_calls": [["name": "events_list", "arguments": ["namespace": "ci"]]], "usage": ["prompt_tokens": 900, "completion_tokens": 200]],
            ScriptedModel.text("never reached"),
        ])
        let (router, clients) = try await peers.router()
        do {
            _ = try await agent(model, router: router, policy: ToolPolicy(repository: nil), tokenBudget: 1000)
                .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
            Issue.record("expected the budget to stop the run")
        } catch {
            guard case .tokenBudgetExceeded(1100, 1000) = error else { Issue.record("\(error)"); return }
        }
        for client in clients { await client.close() }
    }

    @Test func aModelErrorAfterTheIssueKeepsTheIssue() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body], id: "call_issue"),
            ["status": 400, "error": "context length exceeded"],
        ])
        let (router, clients) = try await peers.router()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: repository))
            .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        #expect(outcome.issueCreated && outcome.issue?.url?.contains(repository.repo) == true)
    }

    @Test func modelErrorsKeepTheirClass() async throws {
        let model = peers.llm.model()
        try await model.script([["status": 429, "error": "slow down", "headers": ["Retry-After": "4"]]])
        let (router, clients) = try await peers.router()
        do {
            _ = try await agent(model, router: router, policy: ToolPolicy(repository: nil))
                .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
            Issue.record("expected a model error")
        } catch {
            #expect(error.errorClass == .retryable)
            #expect(error.retryAfter == .seconds(4))
        }
        for client in clients { await client.close() }
    }
}

extension AgentEndToEndTests {
    @Test func anEmptyAnswerIsRepairedOnce() async throws {
        let model = peers.llm.model()
        try await model.script([ScriptedModel.text(""), ScriptedModel.text(IssueFixture.text), ScriptedModel.text("unused")])
        let (router, clients) = try await peers.router()
        let transcript = InMemoryTranscript()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: nil))
            .run(context: Self.context, evidence: "", transcript: transcript)
        for client in clients { await client.close() }
        #expect(outcome.finalText == IssueFixture.text)
        #expect(outcome.iterations == 2)
        #expect(await transcript.entries.map(\.role) == [.system, .user, .assistant, .user, .assistant])

        let silent = peers.llm.model()
        try await silent.script([ScriptedModel.text(""), ScriptedModel.text("")])
        let (router2, clients2) = try await peers.router()
        let empty = try await agent(silent, router: router2, policy: ToolPolicy(repository: nil))
            .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients2 { await client.close() }
        #expect(empty.finalText.isEmpty && !empty.issueCreated && empty.iterations == 2 && empty.rejection != nil)
    }
}

extension AgentEndToEndTests {
    @Test func aModelThatKeepsGoingAfterTheIssueStillSucceeds() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            // No owner/repo at all: the configured ones are filled in.
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body]),
            ScriptedModel.toolCall("events_list", ["namespace": "ci"]),
            ScriptedModel.toolCall("events_list", ["namespace": "ci"]),
        ])
        let (router, clients) = try await peers.router()
        let outcome = try await agent(model, router: router, policy: ToolPolicy(repository: repository), maxIterations: 3)
            .run(context: Self.context, evidence: "", transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        #expect(outcome.issue?.number == 1)
        #expect(outcome.iterations == 3)
        #expect(try await peers.issues(owner: repository.owner, repo: repository.repo).count == 1)
    }
}
