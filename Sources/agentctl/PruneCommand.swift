import ArgumentParser
import CLI
import Foundation
import Queue
import Storage

/// `agentctl prune`: what the worker's background retention does, by hand.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete finished jobs older than the retention window, with their attempts and transcripts.",
        discussion: """
            Queued and running jobs, failure groups and the issue ledger are kept. Deletes in batches \
            of 500, so running services wait for one batch at most. SQLite reuses the freed space for \
            new rows; --vacuum also gives it back to the filesystem (needs free space about the size \
            of the database and blocks writers while it runs).
            """)

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Keep jobs that finished within this many days (default: $AGENT_RETENTION_DAYS or 30).")
    var days: Int?

    @Flag(help: "Only count what would be deleted.")
    var dryRun = false

    @Flag(help: "Afterwards, rebuild the SQLite file to return the freed space (VACUUM).")
    var vacuum = false

    struct Output: Encodable {
        let dryRun: Bool
        let jobs: Int
        let attempts: Int
        let transcriptEntries: Int

        enum CodingKeys: String, CodingKey {
            case jobs, attempts
            case dryRun = "dry_run"
            case transcriptEntries = "transcript_entries"
        }
    }

    func run() async throws {
        let days = try days ?? options.settings.retentionDays()
        guard days >= 0 else { throw ValidationError("--days must be 0 or more") }
        let storage = try await options.openStorage()
        guard let retention = storage.queue as? any JobRetention else {
            throw CommandFailure("\(storage.description) cannot be pruned")
        }
        let cutoff = Date().addingTimeInterval(-Double(days) * 86400)
        let pruned = try await retention.pruneAllFinishedJobs(endedBefore: cutoff, dryRun: dryRun)
        if vacuum, !dryRun {
            // PostgreSQL's autovacuum reclaims the rows; only a SQLite file is rebuilt.
            try await storage.sqlite?.vacuum()
        }
        if options.json {
            print(try JSONOutput.encode(Output(
                dryRun: dryRun, jobs: pruned.jobs, attempts: pruned.attempts, transcriptEntries: pruned.transcriptEntries)))
            return
        }
        let verb = dryRun ? "would delete" : "deleted"
        print("\(verb) \(pruned.jobs) jobs finished more than \(days) days ago, "
              + "with \(pruned.attempts) attempts and \(pruned.transcriptEntries) transcript entries")
    }
}
