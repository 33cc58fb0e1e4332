import ArgumentParser

/// The service: `ingest` (webhook → queue), `worker` (queue → analysis → issue) and `serve`
/// (both in one process).
struct PipelineAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-agent",
        abstract: "Turns failed Tekton/Kubernetes pipeline runs into Gitea issues.",
        discussion: "Configuration comes from environment variables; see the README.",
        version: "0.1.0",
        subcommands: [IngestCommand.self, WorkerCommand.self, ServeCommand.self]
    )
}
