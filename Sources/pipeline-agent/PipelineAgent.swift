import ArgumentParser

/// The service: `ingest` (webhook → queue), `worker` (queue → analysis → issue) and `serve`
/// (both in one process) are added as they are built.
struct PipelineAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-agent",
        abstract: "Turns failed Tekton/Kubernetes pipeline runs into Gitea issues.",
        discussion: "The worker and serve subcommands are not built yet; use agentctl to operate the queue.",
        version: "0.1.0",
        subcommands: [IngestCommand.self]
    )
}
