import Agent
import Foundation
import JSON
import LLMClient
import Testing
import TestSupport

/// What small instruct models did with the real prompt (issue 19), reproduced by the scripted
/// model through the real LiteLLM proxy: none of it may become an issue.
@Suite struct SmallModelTests {
    let peers: AgentPeers

    init() async throws {
        peers = try await AgentPeers.shared()
    }

    static let context = AgentEndToEndTests.context
    /// An excerpt as the worker makes it, with the line the fixture issue quotes.
    static let evidence = "L40: --- FAIL: TestParseConfig (0.01s)\nL41:     \(IssueFixture.quotedLine)\nL43: exit status 1"

    /// The outcome, and the issues created in the run's own repository (the fake Gitea is shared).
    func run(_ model: ScriptedModel, evidence: String = evidence, contextTokens: Int = AgentConfiguration.defaultContextTokens)
        async throws -> (AgentOutcome, created: Int)
    {
        let (router, clients) = try await peers.router()
        let repository = AgentPeers.uniqueRepository()
        let agent = AnalysisAgent(
            model: peers.chatClient(model), router: router,
            configuration: AgentConfiguration(policy: ToolPolicy(repository: repository), contextTokens: contextTokens))
        let outcome = try await agent.run(context: Self.context, evidence: evidence, transcript: InMemoryTranscript())
        for client in clients { await client.close() }
        return (outcome, try await peers.issues(owner: repository.owner, repo: repository.repo).count)
    }

    /// The user message of the `index`-th request.
    func userMessage(_ requests: [[String: Any]], _ index: Int) -> String {
        let messages = requests[index]["messages"] as? [[String: Any]] ?? []
        return messages.first { $0["role"] as? String == "user" }?["content"] as? String ?? ""
    }

    @Test func thePromptShowsATemplateBeforeTheEvidenceAndNoExampleContent() async throws {
        let prompt = AgentPrompt.user(context: Self.context, evidence: Self.evidence)
        let template = try #require(prompt.range(of: "Form of the issue"))
        let evidence = try #require(prompt.range(of: "Evidence ("))
        #expect(template.lowerBound < evidence.lowerBound)
        #expect(prompt.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("exit status 1\n```"))
        for word in ["npm", "package-lock", "release-pipeline", "q4m8z", "left-pad"] {
            #expect(!prompt.contains(word) && !AgentPrompt.system(repository: nil, dryRun: false).contains(word))
        }
    }

    @Test func aModelCopyingTheExampleFilesNothing() async throws {
        let model = peers.llm.model()
        try await model.script([ScriptedModel.copyExample, ScriptedModel.copyExample])
        let (outcome, created) = try await run(model)
        #expect(!outcome.issueCreated && created == 0)
        let rejection = try #require(outcome.rejection)
        #expect(rejection.contains("placeholder"))
        // The copied template went back to the model once, with what was wrong.
        let requests = try await model.requests()
        #expect(requests.count == 2)
        let repair = (requests[1]["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
        #expect(repair.contains("cannot be filed") && repair.contains("placeholder"))
    }

    @Test func aJSONCallToAToolThatDoesNotExistIsAnsweredAsAnError() async throws {
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.bogusCall,
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body]),
            ScriptedModel.text("Filed."),
        ])
        let (outcome, created) = try await run(model)
        #expect(outcome.issueCreated && outcome.rejection == nil && created == 1)
        let requests = try await model.requests()
        let answer = (requests[1]["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
        #expect(answer.contains("no tool named") && answer.contains("the tools are") && answer.contains("create_issue"), "\(answer)")
    }

    @Test func aModelThatKeepsWritingBogusCallsGetsNoIssue() async throws {
        let model = peers.llm.model()
        try await model.script([ScriptedModel.bogusCall, ScriptedModel.bogusCall])
        let (outcome, _) = try await run(model)
        #expect(!outcome.issueCreated)
        #expect(outcome.rejection?.contains("no tool named") == true)
    }

    @Test func anIssueAnsweredInsideACodeFenceLosesTheFence() async throws {
        let model = peers.llm.model()
        try await model.script([ScriptedModel.fenced(IssueFixture.text)])
        let (outcome, _) = try await run(model)
        #expect(outcome.rejection == nil)
        #expect(IssueText.parse(outcome.finalText) == IssueText(title: IssueFixture.title, body: IssueFixture.body))
    }

    @Test func aCreateCallCopyingTheExampleIsRefusedBeforeItIsMade() async throws {
        let model = peers.llm.model()
        let copied: [String: Any] = ["title": "```json", "body": #"{"name": "create_issue", "arguments": {}}"#]
        try await model.script([ScriptedModel.toolCall("create_issue", copied), ScriptedModel.toolCall("create_issue", copied)])
        let (outcome, created) = try await run(model)
        #expect(!outcome.issueCreated && outcome.rejection?.contains("code fence") == true && created == 0)
        let requests = try await model.requests()
        let reply = (requests[1]["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
        #expect(reply.hasPrefix("Error: the issue was not created"))
    }

    /// The operator said 32k, the model has 4,096: the proxy's ContextWindowExceededError
    /// makes the agent start again at once, smaller and with only the needed tools.
    @Test func aContextWindowErrorLeadsToASmallerRequestThatSucceeds() async throws {
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body]),
            ScriptedModel.text("Filed."),
        ], contextTokens: 4096)
        let noise = (1...600).map { "L\($0): 2026-12-01T10:00:00Z INFO compiling module \($0) of the application" }.joined(separator: "\n")
        let (outcome, _) = try await run(model, evidence: noise + "\n" + Self.evidence, contextTokens: 32768)
        #expect(outcome.issueCreated)
        let requests = try await model.requests()
        #expect(requests.count == 3, "one refused, then the create and the closing words")
        func size(_ request: [String: Any]) -> Int {
            let messages = (try? JSONSerialization.data(withJSONObject: request["messages"] ?? [])) ?? Data()
            let tools = (try? JSONSerialization.data(withJSONObject: request["tools"] ?? [])) ?? Data()
            return (messages.count + tools.count) / 4 + (request["max_tokens"] as? Int ?? 0)
        }
        #expect(size(requests[0]) > 4096)
        #expect(size(requests[1]) <= 4096)
        let tools = (requests[1]["tools"] as? [[String: Any]] ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(Set(tools) == ["pods_log", "create_issue"])
        #expect(userMessage(requests, 1).contains(IssueFixture.quotedLine), "the failure's lines are kept")
    }

    /// A window too small for even the prompts: the agent shrinks three times, then gives up
    /// with the context error (the worker files its fallback issue for it).
    @Test func aWindowTooSmallForThePromptEndsWithTheContextError() async throws {
        let model = peers.llm.model()
        try await model.script([ScriptedModel.text(IssueFixture.text)], contextTokens: 300)
        await #expect {
            _ = try await run(model)
        } throws: { error in
            guard case AgentError.model(.contextLengthExceeded) = error else { return false }
            return true
        }
        #expect(try await model.requests().count == 4)
    }

    /// A request that fits from the start: the window sizes max_tokens, the tools and the excerpt.
    @Test func aKnownSmallWindowIsFittedFromTheStart() async throws {
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["title": IssueFixture.title, "body": IssueFixture.body]),
            ScriptedModel.text("Filed."),
        ], contextTokens: 4096)
        let noise = (1...600).map { "L\($0): 2026-12-01T10:00:00Z INFO compiling module \($0) of the application" }.joined(separator: "\n")
        let (outcome, _) = try await run(model, evidence: noise + "\n" + Self.evidence, contextTokens: 4096)
        #expect(outcome.issueCreated)
        let requests = try await model.requests()
        #expect(requests.count == 2)
        #expect(requests.first?["max_tokens"] as? Int == 1024)
    }
}
