import ArgumentParser

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, inspect, retry, re-run, cancel and enqueue jobs.",
        subcommands: [
            JobsListCommand.self, JobsShowCommand.self, JobsRetryCommand.self, JobsRerunCommand.self, JobsCancelCommand.self,
            JobsEnqueueCommand.self,
        ]
    )
}
