import ArgumentParser

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, inspect, retry, cancel and enqueue jobs.",
        subcommands: [
            JobsListCommand.self, JobsShowCommand.self, JobsRetryCommand.self, JobsCancelCommand.self,
            JobsEnqueueCommand.self,
        ]
    )
}
