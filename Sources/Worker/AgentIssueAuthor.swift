import Foundation
import Agent
import Analysis
import LLMClient
import Logging
import MCPClient
import Queue

/// `IssueAuthor` backed by the agent loop: the model reads the excerpt, may fetch more through
/// the allowed MCP tools, and creates the issue (with the fingerprint marker first in the body and the
/// repository forced). Every message goes to the job's transcript for this attempt.
public struct AgentIssueAuthor: IssueAuthor {
    public let model: any ChatModel
    public let servers: [MCPClient]
    public let configuration: AgentConfiguration
    public let transcripts: any TranscriptStore
    public let logger: Logger
    /// Where the model's window comes from; nil keeps `configuration.contextTokens`.
    public let contextWindow: ContextWindow?
    private let redactor = SecretRedactor()
    private let routers = ToolRouterCache()
    /// One string for every job's conversation, instead of one per job in flight.
    private let systemPrompt: String

    public init(model: any ChatModel, servers: [MCPClient], configuration: AgentConfiguration, transcripts: any TranscriptStore,
                logger: Logger, contextWindow: ContextWindow? = nil) {
        self.contextWindow = contextWindow
        self.model = model
        self.servers = servers
        self.configuration = configuration
        self.transcripts = transcripts
        self.logger = logger
        systemPrompt = AgentPrompt.system(repository: configuration.policy.repository, dryRun: configuration.policy.dryRun)
    }

    public func author(_ context: FailureContext) async throws -> AuthoredIssue {
        var configuration = configuration
        configuration.policy.issueBodyMarker = context.marker
        if let contextWindow { configuration.contextTokens = await contextWindow.tokens(logger: logger) }
        // The tool lists are cached per session; a ping makes sure every server is up before
        // the model (the expensive part) runs, so an outage costs no tokens.
        for server in servers { try await server.ping() }
        let router: ToolRouter
        do { router = try await routers.router(for: servers) } catch { throw AgentError.toolServer(error) }
        if context.reanalysis { configuration.policy.dryRun = true }
        let prompt = context.reanalysis
            ? AgentPrompt.system(repository: configuration.policy.repository, dryRun: true) : systemPrompt
        let agent = AnalysisAgent(model: model, router: router, configuration: configuration, redact: redactor.redact, logger: logger,
                                  systemPrompt: prompt)
        let job = context.job
        let pod = PodContext(namespace: job.namespace, pod: job.pod, container: context.container,
                             pipelineRun: job.pipelineRun, task: job.task)
        var evidence = context.excerpt
        if let events = context.events { evidence += "\n\nRecent events of the pod:\n" + events }
        if !context.missing.isEmpty {
            // Said, so the model neither invents what is missing nor asks for it in vain.
            evidence += "\n\nNot available (best-effort evidence the worker could not get):\n"
                + context.missing.map { "- " + $0 }.joined(separator: "\n")
        }
        let result: Result<AgentOutcome, AgentError>
        do {
            result = .success(try await agent.run(
                context: pod, evidence: consume evidence,
                transcript: transcripts.recorder(jobID: job.id, attempt: context.attempt)))
        } catch {
            result = .failure(error)
        }
        let outcome: AgentOutcome
        switch result {
        case .success(let value):
            outcome = value
            WorkerMetrics.modelTokens(input: value.tokensIn, output: value.tokensOut)
        case .failure(.maxIterationsReached(let limit, let lastText)):
            // Out of turns but with something to say: that text may still make an issue, if it
            // passes the gates. The run's create calls are not known here, so the issue may exist.
            let reason = "the model still called tools after \(limit) turns"
            guard let lastText else { return Self.fallback(context, reason: reason, mayExist: true) }
            return Self.draft(from: lastText, context: context, mayExist: true, otherwise: reason)
        case .failure(let error) where Self.fallsBack(error):
            // What the model did cannot be used, and trying again would do the same.
            return Self.fallback(context, reason: error.description, mayExist: true)
        case .failure(let error):
            throw error
        }
        if let issue = outcome.issue, let url = issue.url {
            return .filed(FiledIssue(url: url, number: issue.number, title: issue.title ?? outcome.proposedIssue?.title ?? ""))
        }
        if let rejection = outcome.rejection {
            return Self.fallback(context, reason: "the model's answer failed the quality checks: \(rejection)",
                                 mayExist: outcome.issueCreateAttempted)
        }
        // The agent held this text to the gates already, with the tool results as evidence too.
        return Self.draft(from: outcome.finalText, context: context, mayExist: outcome.issueCreateAttempted,
                          otherwise: "the model ended without an issue", gated: true)
    }

    /// Agent errors that a fallback issue answers instead of a failed job: the model's output
    /// is unusable (too many turns, too many tokens, a 2xx without a completion) or the prompt
    /// does not fit its window even after shrinking. Outages and configuration errors still
    /// fail or retry the job.
    static func fallsBack(_ error: AgentError) -> Bool {
        switch error {
        case .maxIterationsReached, .tokenBudgetExceeded: true
        case .model(.contextLengthExceeded), .model(.invalidOutput): true
        default: false
        }
    }

    /// The model's final text as an issue (`IssueText`), if it passes the quality gates
    /// against the excerpt; else the fallback issue, with `otherwise` as the reason.
    static func draft(
        from text: String, context: FailureContext, mayExist: Bool = false, otherwise reason: String, gated: Bool = false
    ) -> AuthoredIssue {
        let issue = IssueText.parse(text)
        if issue.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return fallback(context, reason: reason, mayExist: mayExist)
        }
        let pod = PodContext(namespace: context.job.namespace, pod: context.job.pod, container: context.container,
                             pipelineRun: context.job.pipelineRun, task: context.job.task)
        let problems = gated ? [] : IssueQualityGate(pod: pod, evidence: context.excerpt)
            .problems(title: issue.title, body: issue.body, requiresTitle: false)
        guard problems.isEmpty else {
            let why = issue.title.isEmpty && issue.body.isEmpty ? reason : "\(reason); its text failed the quality checks: "
                + problems.joined(separator: "; ")
            return fallback(context, reason: why, mayExist: mayExist)
        }
        // A text without a title line gets the fallback's title, from the failure's key line.
        var title = issue.title.isEmpty ? FallbackIssue.draft(context, reason: "").title : issue.title
        if title.count > 120 { title = String(title.prefix(117)) + "…" }
        return .draft(title: title, body: issue.body, mayExist: mayExist)
    }

    static func fallback(_ context: FailureContext, reason: String, mayExist: Bool) -> AuthoredIssue {
        let issue = FallbackIssue.draft(context, reason: reason)
        return .draft(title: issue.title, body: issue.body, mayExist: mayExist, analysis: .fallback(reason: reason))
    }
}

extension AgentError: JobFailureConvertible {
    public var jobFailure: JobFailure {
        if case .toolServer(let error) = self {
            // The MCP server's own class (`mcp_unreachable`, `mcp_timeout`, …), the same as when
            // the worker itself calls that server.
            var failure = FailureClassifier.classify(error)
            failure.retryable = errorClass == .retryable
            return failure
        }
        return JobFailure(message: description, errorClass: "agent_\(errorClass.rawValue)", retryable: errorClass == .retryable,
                   retryAfter: retryAfter)
    }
}

extension LLMError: JobFailureConvertible {
    public var jobFailure: JobFailure {
        JobFailure(message: description, errorClass: "llm_\(errorClass.rawValue)", retryable: isRetryable, retryAfter: retryAfter)
    }
}
