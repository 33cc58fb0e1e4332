import ArgumentParser
import CLI
import Foundation
import Queue

struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job and its attempts.")

    @OptionGroup var options: DatabaseOptions

    @Argument(help: "Job id.")
    var id: Int64

    struct Output: Encodable {
        let job: Job
        let attempts: [AttemptRecord]
    }

    func run() async throws {
        let queue = try await options.openQueue()
        guard let job = try await queue.job(id: id) else { throw QueueError.notFound(jobID: id) }
        let attempts = try await queue.attempts(jobID: id)
        if options.json {
            print(try JSONOutput.encode(Output(job: job, attempts: attempts)))
            return
        }
        let now = Date()
        let time = { (date: Date?) in date.map { "\(relativeTime($0, now: now)) (\($0.formatted(.iso8601)))" } ?? "-" }
        var lines: [(String, String)] = [
            ("job", String(job.id)),
            ("state", job.state.rawValue),
            ("pod", job.location),
            ("pipeline run", job.pipelineRun ?? "-"),
            ("task", job.task ?? "-"),
            ("source", job.source.rawValue),
            ("attempts", "\(job.attempts) of \(job.maxAttempts)"),
            ("re-run", job.rerunAttempt.map { "yes, from attempt \($0)" } ?? "no"),
            ("reports", String(job.reportCount)),
            ("created", time(job.createdAt)),
            ("updated", time(job.updatedAt)),
        ]
        if job.state == .queued { lines.append(("runs after", time(job.runAfter))) }
        if job.state == .running { lines.append(("leased by", "\(job.leaseOwner ?? "-") until \(time(job.leaseExpiresAt))")) }
        if let finished = job.finishedAt { lines.append(("finished", time(finished))) }
        if let error = job.lastError { lines.append(("last error", error)) }
        if let fingerprint = job.fingerprint { lines.append(("fingerprint", fingerprint)) }
        if let result = job.result { lines.append(("result", result)) }
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines { print("\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)") }

        guard !attempts.isEmpty else { return }
        print("")
        var table = TextTable(headers: ["TRY", "WORKER", "STARTED", "TOOK", "OUTCOME", "ERROR"], flexibleColumn: 5)
        for attempt in attempts {
            table.append([
                String(attempt.attempt), attempt.worker, relativeTime(attempt.startedAt, now: now),
                attempt.latencyMilliseconds.map { String(format: "%.1fs", Double($0) / 1000) } ?? "-",
                attempt.outcome ?? "running", [attempt.errorClass, attempt.error].compactMap { $0 }.joined(separator: ": "),
            ])
        }
        print(table.render())
    }
}
