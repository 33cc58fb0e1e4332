import ArgumentParser

/// The operator's CLI over the agent's database (and, later, its MCP servers and analyses).
struct AgentCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentctl",
        abstract: "Inspect and operate the pipeline failure agent.",
        discussion: "Exit codes: 0 ok, 1 not found or invalid input, 2 usage error.",
        subcommands: [
            MigrateCommand.self, JobsCommand.self, StatsCommand.self, GroupsCommand.self, TranscriptCommand.self,
            AnalyzeCommand.self, ExcerptCommand.self, RedactCommand.self, MCPCommand.self, PruneCommand.self,
        ]
    )
}
