import ArgumentParser
import CLI
import Foundation
import Queue
import Store

/// Leases jobs from a database until none are due and prints each leased id on its own line,
/// as it goes: how tests check that several processes never lease the same job, and that a
/// process killed while holding leases loses nothing (`--hold`).
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Lease and complete jobs until none are due, printing each leased job id."
    )

    @Option(help: "SQLite database file.")
    var db: String

    @Option(help: "Lease owner name.")
    var owner = "drain-\(ProcessInfo.processInfo.processIdentifier)"

    @Option(help: "Jobs per lease.")
    var batch = 10

    @Option(help: "Lease time-to-live in milliseconds.")
    var ttlMs = 30_000

    @Flag(help: "Lease one batch, print it, then hold the leases without completing until killed.")
    var hold = false

    @Option(help: "Milliseconds of simulated work per leased batch, before completing it.")
    var workMs = 0

    @Flag(help: "Run the rescuer before each lease.")
    var rescue = false

    func run() async throws {
        let queue = SQLiteJobQueue(database: try Database.open(path: db))
        while true {
            if rescue { try await queue.rescueExpiredLeases() }
            let leased = try await queue.lease(batch: batch, ttl: .milliseconds(ttlMs), owner: owner)
            if leased.isEmpty { return }
            emit(leased.map { "\($0.job.id)" }.joined(separator: "\n"))
            if hold {
                emit("holding")
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
            if workMs > 0 { try await Task.sleep(for: .milliseconds(workMs)) }
            for job in leased { try await queue.complete(job.lease, result: #"{"by":"\#(owner)"}"#) }
        }
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
