import ArgumentParser
import CLI
import Queue

/// Analyses a succeeded job again, e.g. after a poor issue: failed, dead or cancelled jobs
/// take `jobs retry` instead.
struct JobsRerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Analyse a succeeded job again: the new analysis is commented on its group's open issue, or filed as a new one."
    )

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Job id.")
    var id: Int64

    func run() async throws {
        let job: Job
        do {
            job = try await options.openQueue().rerun(id: id)
        } catch QueueError.invalidTransition(let id, let state, _) {
            throw CommandFailure("job \(id) is \(state.rawValue); only a succeeded job can be re-run"
                + (state.isRetryable ? " (use `agentctl jobs retry \(id)`)" : ""))
        }
        print(options.json ? try JSONOutput.encode(job) : "job \(job.id): queued for re-analysis (attempt \(job.attempts + 1))")
    }
}
