import ArgumentParser
import CLI
import Foundation
import Queue

extension JobState: ExpressibleByArgument {}

struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Only jobs in this state (\(JobState.allCases.map(\.rawValue).joined(separator: ", "))).")
    var state: JobState?

    @Option(help: "Only jobs of this namespace.")
    var namespace: String?

    @Option(help: "At most this many jobs (1-1000).")
    var limit = 50

    @Option(help: "Only jobs with an id below this one (the next page's cursor).")
    var before: Int64?

    struct Output: Encodable {
        let jobs: [Job]
        let nextCursor: Int64?

        enum CodingKeys: String, CodingKey {
            case jobs
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(jobs, forKey: .jobs)
            try c.encode(nextCursor, forKey: .nextCursor)
        }
    }

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let page = try await options.openQueue().list(JobFilter(state: state, namespace: namespace, limit: limit, before: before))
        if options.json {
            print(try JSONOutput.encode(Output(jobs: page.jobs, nextCursor: page.nextCursor)))
            return
        }
        if page.jobs.isEmpty {
            print("no jobs")
            return
        }
        let now = Date()
        var table = TextTable(headers: ["ID", "STATE", "TRIES", "REPORTS", "UPDATED", "POD"], flexibleColumn: 5)
        for job in page.jobs {
            table.append([
                String(job.id), job.state.rawValue, "\(job.attempts)/\(job.maxAttempts)", String(job.reportCount),
                relativeTime(job.updatedAt, now: now), job.location,
            ])
        }
        print(table.render())
        if let cursor = page.nextCursor { print("more: --before \(cursor)") }
    }
}

extension Job {
    /// `namespace/pod` and, when known, `/container`.
    var location: String { [namespace, pod, container].compactMap { $0 }.joined(separator: "/") }
}
