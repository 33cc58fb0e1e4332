import Agent
import Analysis
import ArgumentParser
import CLI
import Foundation
import LLMClient
import Logging
import MCPClient
import Worker

/// `agentctl analyze`: one analysis of a real failed pod, synchronously, without the queue —
/// how a user tries the agent before wiring Tekton.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse one failed pod now with the configured LLM and MCP servers; print the outcome and the transcript.",
        discussion: """
            Reads LITELLM_URL, LITELLM_API_KEY, LITELLM_MODEL, MCP_OPENSHIFT_URL/_TRANSPORT, MCP_GITEA_URL/_TRANSPORT, \
            GITEA_OWNER/GITEA_REPO (or MCP_GITEA_USER/MCP_GITEA_REPO) and the AGENT_* limits. The evidence is the \
            redacted excerpt (AGENT_EXCERPT_BUDGET_TOKENS, default 2000) of the container's log tail \
            (AGENT_EVIDENCE_TAIL_LINES, default 5000). Without --dry-run it refuses unless --force: an issue \
            created here is not in the worker's failure groups, so the worker would file the same failure again; \
            `agentctl jobs enqueue` lets the worker analyse the pod with its dedupe.
            """)

    @Option(help: "Namespace of the failed pod.") var namespace: String
    @Option(help: "Name of the failed pod.") var pod: String
    @Option(help: "Container (Tekton step: step-NAME); default: the server's choice.") var container: String?
    @Option(name: .customLong("pipeline-run"), help: "PipelineRun name, for the prompt.") var pipelineRun: String?
    @Option(help: "Task name, for the prompt.") var task: String?
    @Option(name: .customLong("max-iterations"), help: "Model turns at most (default: $AGENT_MAX_ITERATIONS or 10).")
    var maxIterations: Int?
    @Flag(name: .customLong("dry-run"), help: "Withhold every writing tool; print the issue that would have been created.")
    var dryRun = false
    @Flag(help: "Let the model create the issue although the worker's failure groups will not know it.")
    var force = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = try AgentSettings.fromEnvironment(environment, dryRun: dryRun)
        settings.agent.maxIterations = maxIterations ?? settings.agent.maxIterations
        guard dryRun || force else {
            throw CommandFailure("""
                analyze would create an issue outside the worker's failure groups (the worker would file the same \
                failure again): use --dry-run to see the issue, `agentctl jobs enqueue --namespace \(namespace) --pod \(pod)` \
                to have the worker analyse it with its dedupe, or --force to create it anyway
                """)
        }
        let llm = OpenAIChatClient(configuration: settings.llm)
        let servers = settings.servers.map { MCPClient(configuration: $0) }
        let repository = settings.agent.policy.repository
        let router = try await ToolRouter.discover(servers)
        let tailLines = try EnvironmentSettings(environment).integer("AGENT_EVIDENCE_TAIL_LINES", default: 5000, range: 1...100_000)
        let budget = try EnvironmentSettings(environment).integer("AGENT_EXCERPT_BUDGET_TOKENS", default: 2000, range: 50...100_000)
        let context = PodContext(namespace: namespace, pod: pod, container: container, pipelineRun: pipelineRun, task: task)
        let redactor = SecretRedactor()
        let evidence = LogExcerpt(log: await Self.evidence(router: router, context: context, tailLines: tailLines), budgetTokens: budget,
                                  redactor: redactor).text
        let configuration = settings.agent

        // The transcript tells the story; the agent's own log only speaks up for problems.
        var logger = Logger(label: "agentctl.analyze")
        logger.logLevel = .warning
        let agent = AnalysisAgent(model: llm, router: router, configuration: configuration, redact: redactor.redact, logger: logger)
        let transcript = InMemoryTranscript()
        let result: Result<AgentOutcome, AgentError>
        do { result = .success(try await agent.run(context: context, evidence: evidence, transcript: transcript)) }
        catch { result = .failure(error) }
        for server in servers { await server.close() }

        print(TranscriptRenderer.forStandardOutput.render(await transcript.entries))
        print("")
        switch result {
        case let .failure(error):
            throw CommandFailure("analysis failed (\(error.errorClass.rawValue)): \(error)")
        case let .success(outcome):
            print("iterations: \(outcome.iterations), tokens \(outcome.tokensIn) in / \(outcome.tokensOut) out")
            if let issue = outcome.issue {
                print("issue created: \(issue.url ?? "#\(issue.number.map(String.init) ?? "?")")")
            } else if let proposal = outcome.proposedIssue {
                print("dry run: would have created this issue in \(repository?.fullName ?? "the configured repository"):")
                print("title: \(proposal.title ?? "(none)")\n\n\(proposal.body ?? proposal.arguments)")
            } else if let rejection = outcome.rejection {
                print("the model's answer failed the quality checks (the worker would file its fallback issue): \(rejection)")
                print("its final text:")
                print(outcome.finalText.isEmpty ? "(empty)" : outcome.finalText)
            } else {
                print("the model ended without creating an issue; its final text (the worker would file it):")
                print(outcome.finalText.isEmpty ? "(empty)" : outcome.finalText)
            }
            if !outcome.withheldCalls.isEmpty {
                print("withheld (dry run): \(outcome.withheldCalls.map(\.name).joined(separator: ", "))")
            }
        }
    }

    /// The container's log tail as the worker collects it (the failed container when none is
    /// named, the server's own tail argument), or a note why there is none.
    static func evidence(router: ToolRouter, context: PodContext, tailLines: Int) async -> String {
        guard let route = router.route("pods_log") else { return "" }
        do {
            return try await EvidenceCollector(kubernetes: route.server, tailLines: tailLines)
                .collect(namespace: context.namespace, pod: context.pod, container: context.container).log
        } catch {
            return "(pods_log failed: \(error))"
        }
    }
}
