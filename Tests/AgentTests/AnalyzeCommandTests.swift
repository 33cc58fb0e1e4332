import Agent
import Foundation
import Testing
import TestSupport

/// `agentctl analyze` as a user runs it: configured by environment, against the real peers.
@Suite(.serialized) struct AnalyzeCommandTests {
    let peers: AgentPeers

    init() async throws {
        peers = try await AgentPeers.shared()
    }

    func environment(model: ScriptedModel, repository: IssueRepository, kubernetesURL: String? = nil) -> [String: String] {
        [
            "LITELLM_URL": peers.llm.proxyURL, "LITELLM_API_KEY": LiteLLMStack.masterKey, "LITELLM_MODEL": model.name,
            "MCP_OPENSHIFT_URL": kubernetesURL ?? peers.kubernetesConfiguration.url, "MCP_OPENSHIFT_TRANSPORT": "sse",
            "MCP_GITEA_URL": peers.giteaConfiguration.url, "MCP_GITEA_TRANSPORT": "streamable-http",
            "GITEA_OWNER": repository.owner, "GITEA_REPO": repository.repo, "NO_COLOR": "1",
        ]
    }

    @Test func dryRunPrintsTheIssueItWouldHaveCreated() async throws {
        let repository = AgentPeers.uniqueRepository()
        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("create_issue", ["owner": "x", "repo": "y", "title": IssueFixture.title, "body": IssueFixture.body]),
            ScriptedModel.text("Prepared the issue."),
        ])
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"),
            ["analyze", "--namespace", "ci", "--pod", AgentPeers.pod, "--container", AgentPeers.container, "--dry-run"],
            environment: environment(model: model, repository: repository))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("dry run: would have created this issue in \(repository.fullName):"))
        #expect(run.stdout.contains("title: \(IssueFixture.title)"))
        #expect(run.stdout.contains("## Possible causes and solutions"))
        #expect(run.stdout.contains("withheld (dry run): create_issue"))
        #expect(try await peers.issues(owner: repository.owner, repo: repository.repo).isEmpty)
        // The evidence was fetched before the model ran and is in the prompt.
        let prompt = try await model.requests().first?["messages"] as? [[String: Any]]
        #expect((prompt?[1]["content"] as? String)?.contains("config_test.go:42: expected port 8080, got 0") == true)
    }

    static let linkerIssue = """
        build: the linker failed
        ## Cluster/namespace location
        Namespace `ci`, pod `long-log-pod`, container `step-build`.
        ## Summary
        The build step stopped at the link.
        ## Detailed error
        error: linker failed
        ## Possible causes and solutions
        1. A missing library: add it to the image.
        """

    @Test func modelWithoutIssuePrintsItsTextAndFoldsLongResults() async throws {
        let directory = TemporaryDirectory()
        let pod = "long-log-pod"
        let log = (1...120).map { "line \($0): compiling module \($0)" }.joined(separator: "\n") + "\nerror: linker failed\n"
        let fixtures: [String: Any] = ["pods": ["ci/\(pod)": ["phase": "Failed", "containers": ["step-build": ["log": log]]]], "events": [:]]
        let fixturePath = directory.path("fixtures.json")
        try JSONSerialization.data(withJSONObject: fixtures).write(to: URL(fileURLWithPath: fixturePath))
        let kubernetes = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse", "--fixtures", fixturePath])
        defer { kubernetes.stop() }

        let model = peers.llm.model()
        try await model.script([
            ScriptedModel.toolCall("pods_log", ["namespace": "ci", "name": pod, "container": "step-build", "tailLines": 500]),
            ScriptedModel.text(Self.linkerIssue),
        ])
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"),
            ["analyze", "--namespace", "ci", "--pod", pod, "--container", "step-build", "--force"],
            environment: environment(model: model, repository: AgentPeers.uniqueRepository(), kubernetesURL: kubernetes.baseURL + "/sse"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("the model ended without creating an issue"))
        #expect(run.stdout.hasSuffix(Self.linkerIssue + "\n"))
        #expect(run.stdout.contains("more lines folded"), "\(run.stdout)")
        #expect(run.stdout.contains("[3] TOOL  pods_log"))
    }

    /// Without --dry-run, an issue made here would be one the worker does not know: refused
    /// unless forced, before any model or server is asked.
    @Test func withoutDryRunItRefusesUnlessForced() async throws {
        let model = peers.llm.model()
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"), ["analyze", "--namespace", "ci", "--pod", AgentPeers.pod],
            environment: environment(model: model, repository: AgentPeers.uniqueRepository()))
        #expect(run.status == 1)
        #expect(run.stderr.contains("--dry-run") && run.stderr.contains("--force") && run.stderr.contains("jobs enqueue"), "\(run.stderr)")
        #expect(try await model.requests().isEmpty)
    }

    @Test func missingConfigurationIsAClearError() async throws {
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"), ["analyze", "--namespace", "ci", "--pod", "p"],
            environment: ["LITELLM_URL": "", "MCP_OPENSHIFT_URL": "", "MCP_GITEA_URL": ""])
        #expect(run.status == 1)
        #expect(run.stderr.contains("LITELLM_URL is not set"))
    }
}
