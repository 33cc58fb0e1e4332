import Foundation
import Agent
import Analysis
import LLMClient
import Logging
import MCPClient
import Queue

/// `IssueAuthor` backed by the agent loop: the model reads the excerpt, may fetch more through
/// the allowed MCP tools, and creates the issue (with the fingerprint marker appended and the
/// repository forced). Every message goes to the job's transcript for this attempt.
public struct AgentIssueAuthor: IssueAuthor {
    public let model: any ChatModel
    public let servers: [MCPClient]
    public let configuration: AgentConfiguration
    public let transcripts: any TranscriptStore
    public let logger: Logger
    private let redactor = SecretRedactor()
    private let routers = ToolRouterCache()
    /// One string for every job's conversation, instead of one per job in flight.
    private let systemPrompt: String

    public init(model: any ChatModel, servers: [MCPClient], configuration: AgentConfiguration, transcripts: any TranscriptStore,
                logger: Logger) {
        self.model = model
        self.servers = servers
        self.configuration = configuration
        self.transcripts = transcripts
        self.logger = logger
        systemPrompt = AgentPrompt.system(repository: configuration.policy.repository, dryRun: configuration.policy.dryRun)
    }

    public func author(_ context: FailureContext) async throws -> AuthoredIssue {
        var configuration = configuration
        configuration.policy.issueBodySuffix = "\n\n" + context.marker
        // The tool lists are cached per session; a ping makes sure every server is up before
        // the model (the expensive part) runs, so an outage costs no tokens.
        for server in servers { try await server.ping() }
        let router: ToolRouter
        do { router = try await routers.router(for: servers) } catch { throw AgentError.toolServer(error) }
        let agent = AnalysisAgent(model: model, router: router, configuration: configuration, redact: redactor.redact, logger: logger,
                                  systemPrompt: systemPrompt)
        let job = context.job
        let pod = PodContext(namespace: job.namespace, pod: job.pod, container: context.container,
                             pipelineRun: job.pipelineRun, task: job.task)
        var evidence = context.excerpt
        if let events = context.events { evidence += "\n\nRecent events of the pod:\n" + events }
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
        case .failure(.maxIterationsReached(_, let lastText?)):
            // Out of turns but with something to say: that text may still make an issue. The
            // run's create calls are not known here, so the issue may exist.
            return Self.draft(from: lastText, context: context, mayExist: true)
        case .failure(let error):
            throw error
        }
        if let issue = outcome.issue, let url = issue.url {
            return .filed(FiledIssue(url: url, number: issue.number, title: outcome.proposedIssue?.title ?? ""))
        }
        return Self.draft(from: outcome.finalText, context: context, mayExist: outcome.issueCreateAttempted)
    }

    /// The model's final text as an issue: its first line (without Markdown heading marks) as
    /// the title, the whole text as the body.
    static func draft(from text: String, context: FailureContext, mayExist: Bool = false) -> AuthoredIssue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstLine = trimmed.split(separator: "\n").first.map(String.init) ?? ""
        var title = firstLine.trimmingCharacters(in: CharacterSet(charactersIn: "#* ")).trimmingCharacters(in: .whitespaces)
        if title.count > 120 { title = String(title.prefix(117)) + "…" }
        if title.isEmpty || title.lowercased().hasPrefix("summary") {
            title = "Pipeline failure in \(context.job.namespace)/\(context.job.pod)"
        }
        return .draft(title: title, body: trimmed, mayExist: mayExist)
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
