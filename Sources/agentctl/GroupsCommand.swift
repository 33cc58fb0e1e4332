import ArgumentParser
import CLI
import Foundation
import Worker

struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Failure groups: one issue per fingerprint, with its occurrences.",
        subcommands: [GroupsListCommand.self, GroupsShowCommand.self, GroupsResetCommand.self],
        defaultSubcommand: GroupsListCommand.self
    )
}

extension DatabaseOptions {
    func openGroups() async throws -> any FailureGroupStore {
        try await openStorage().groups
    }
}

struct GroupsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Groups, most recently seen first.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "At most this many groups (1-1000).")
    var limit = 50

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let groups = try await options.openGroups().list(limit: limit)
        if options.json {
            print(try JSONOutput.encode(["groups": groups]))
            return
        }
        if groups.isEmpty {
            print("no failure groups")
            return
        }
        let now = Date()
        var table = TextTable(headers: ["ID", "FINGERPRINT", "SEEN", "LAST", "ISSUE"], flexibleColumn: 4)
        for group in groups {
            table.append([
                String(group.id), group.fingerprint, String(group.occurrences), relativeTime(group.lastSeen, now: now),
                group.issueURL ?? "(none yet)",
            ])
        }
        print(table.render())
    }
}

struct GroupsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One failure group.")

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Group id.")
    var id: Int64

    func run() async throws {
        guard let group = try await options.openGroups().group(id: id) else {
            throw CommandFailure("failure group \(id) not found")
        }
        if options.json {
            print(try JSONOutput.encode(group))
            return
        }
        let now = Date()
        let lines: [(String, String)] = [
            ("group", String(group.id)),
            ("fingerprint", group.fingerprint),
            ("namespace", group.namespace),
            ("title", group.title ?? "-"),
            ("issue", group.issueURL ?? "(none yet)"),
            ("occurrences", String(group.occurrences)),
            ("first seen", "\(relativeTime(group.firstSeen, now: now)) (\(group.firstSeen.formatted(.iso8601)))"),
            ("last seen", "\(relativeTime(group.lastSeen, now: now)) (\(group.lastSeen.formatted(.iso8601)))"),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines { print("\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)") }
    }
}
