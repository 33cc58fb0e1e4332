import Agent
import ArgumentParser
import CLI
import Foundation

/// `agentctl transcript JOB`: what the model was told, answered and called, for one attempt.
struct TranscriptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript", abstract: "Print the stored transcript of a job's attempt (default: the latest).")

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Job id.")
    var job: Int64

    @Option(help: "Attempt number (default: the latest with a transcript).")
    var attempt: Int?

    func run() async throws {
        let transcripts = try await options.openStorage().transcripts
        let attempts = try await transcripts.attempts(jobID: job)
        guard let chosen = attempt ?? attempts.last else {
            throw CommandFailure("job \(job) has no transcript")
        }
        guard attempts.contains(chosen) else {
            throw CommandFailure("job \(job) has no transcript for attempt \(chosen) (attempts with one: \(attempts.map(String.init).joined(separator: ", ")))")
        }
        let entries = try await transcripts.entries(jobID: job, attempt: chosen)
        if options.json {
            print(try JSONOutput.encode(TranscriptJSON(jobID: job, attempt: chosen, entries: entries)))
            return
        }
        let tokensIn = entries.compactMap(\.tokensIn).reduce(0, +)
        let tokensOut = entries.compactMap(\.tokensOut).reduce(0, +)
        print("job \(job), attempt \(chosen) of \(attempts.count) with a transcript: \(entries.count) entries, tokens \(tokensIn) in / \(tokensOut) out\n")
        print(TranscriptRenderer.forStandardOutput.render(entries))
    }
}
