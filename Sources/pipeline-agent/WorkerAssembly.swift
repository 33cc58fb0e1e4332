import Agent
import Analysis
import CLI
import Foundation
import LLMClient
import Logging
import MCPClient
import Queue
import Storage
import Worker

/// Builds the worker from the environment: the queue, the two MCP servers, the model, the
/// analysis handler. Shared by `worker` and `serve`.
enum WorkerAssembly {
    static func configuration(_ settings: EnvironmentSettings) throws -> WorkerConfiguration {
        let ttl = try settings.integer("AGENT_LEASE_TTL_SECONDS", default: 60, range: 1...3600)
        return WorkerConfiguration(
            concurrency: try settings.integer("AGENT_WORKER_CONCURRENCY", default: 8, range: 1...1000),
            leaseTTL: .seconds(ttl),
            shutdownGrace: .seconds(try settings.integer("AGENT_SHUTDOWN_GRACE_SECONDS", default: 20, range: 0...3600)),
            releaseDelay: .seconds(try settings.integer("AGENT_RELEASE_DELAY_SECONDS", default: 40, range: 0...3600)),
            owner: settings.nonEmpty("AGENT_WORKER_ID") ?? WorkerConfiguration.defaultOwner)
    }

    /// The maintenance leader election (`AGENT_LEADER_TTL_SECONDS`, 30): nil for SQLite,
    /// where every process runs maintenance.
    static func leadership(storage: AgentStorage, settings: EnvironmentSettings, logger: Logger) throws -> (any Leadership, LeaderElection?) {
        let ttl = try settings.integer("AGENT_LEADER_TTL_SECONDS", default: 30, range: 3...3600)
        let owner = settings.nonEmpty("AGENT_WORKER_ID") ?? WorkerConfiguration.defaultOwner
        return storage.leadership(owner: owner, ttl: .seconds(ttl), logger: logger)
    }

    static func worker(storage: AgentStorage, settings: EnvironmentSettings, logger: Logger,
                       leadership: any Leadership = SingleNodeLeadership()) throws -> AssembledWorker {
        let environment = settings.environment
        let agent = try AgentSettings.fromEnvironment(environment)
        guard let kubernetesServer = try MCPServerConfiguration.openShift(environment: environment) else {
            throw CommandFailure("set MCP_OPENSHIFT_URL: the worker reads pod logs through the Kubernetes MCP server")
        }
        guard let giteaServer = try MCPServerConfiguration.gitea(environment: environment) else {
            throw CommandFailure("set MCP_GITEA_URL: the worker files issues through the Gitea MCP server")
        }
        guard let repository = agent.agent.policy.repository else {
            throw CommandFailure("set GITEA_OWNER and GITEA_REPO")
        }
        let kubernetes = MCPClient(configuration: kubernetesServer)
        let gitea = MCPClient(configuration: giteaServer)
        let tracker = GiteaIssueTracker(client: gitea, owner: repository.owner, repo: repository.repo)
        let chat = OpenAIChatClient(configuration: agent.llm)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(
                kubernetes: kubernetes,
                tailLines: try settings.integer("AGENT_EVIDENCE_TAIL_LINES", default: 5000, range: 1...100_000)),
            groups: storage.groups,
            tracker: tracker,
            author: AgentIssueAuthor(
                model: chat, servers: [kubernetes, gitea],
                configuration: agent.agent, transcripts: storage.transcripts, logger: logger,
                contextWindow: ContextWindow(fixed: agent.contextTokens, lookup: { await chat.reportedContextTokens() })),
            excerptBudgetTokens: try settings.integer("AGENT_EXCERPT_BUDGET_TOKENS", default: 2000, range: 50...100_000),
            queue: storage.queue,
            namespaces: settings.nonEmpty("AGENT_NAMESPACES").flatMap(NamespaceAllowlist.init))
        let service = WorkerService(
            queue: storage.queue, handler: handler, configuration: try configuration(settings), logger: logger,
            readiness: {
                _ = try await kubernetes.listTools()
                // A Gitea server that cannot create issues or comment would fail every job:
                // the worker leases nothing until it can (the error names what is missing).
                let tools = try await tracker.tools()
                logger.info("Gitea issue tools resolved", metadata: ["tools": "\(tools)"])
            },
            wakeUps: storage.wakeUps, leadership: leadership)
        return AssembledWorker(service: service, peersAnswer: {
            // Both at once: a probe waits for the slower, not the sum.
            async let kubernetesAnswers: Void = kubernetes.ping(timeout: peerProbeTimeout)
            async let giteaAnswers: Void = gitea.ping(timeout: peerProbeTimeout)
            _ = try await (kubernetesAnswers, giteaAnswers)
        })
    }

    /// A ping of a peer that takes longer than this counts as no answer (the kubelet's probe
    /// timeout in the chart is longer).
    static let peerProbeTimeout = Duration.seconds(3)
}

/// The worker and the cheap check of its peers behind its `/readyz`: a ping of both MCP
/// servers, which tells whether they answer now without resolving tools or logging (the
/// start check, `WorkerService.readiness`, resolves the issue tools once and says so).
struct AssembledWorker: Sendable {
    let service: WorkerService
    let peersAnswer: @Sendable () async throws -> Void
}
