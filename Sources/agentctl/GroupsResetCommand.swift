import ArgumentParser
import CLI
import Worker

/// Forgets a failure group's issue, so the next occurrence of its fingerprint is analysed
/// afresh and files a new issue (the old one is left as it is in Gitea).
struct GroupsResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget a group's issue: the next occurrence of its failure files a new one."
    )

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Group id.")
    var id: Int64

    @Flag(help: "Reset even while jobs of the group's failure are queued or running (one may then file a duplicate issue).")
    var force = false

    func run() async throws {
        let groups = try await options.openGroups()
        let before = try await groups.group(id: id)
        let group: FailureGroup
        do {
            group = try await groups.reset(groupID: id, force: force)
        } catch let error as FailureGroupResetError {
            throw CommandFailure(error.description)
        }
        if options.json {
            print(try JSONOutput.encode(group))
        } else {
            print("failure group \(group.id): issue forgotten (was \(before?.issueURL ?? "none")); the next occurrence files a new one")
        }
    }
}
