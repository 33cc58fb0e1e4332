import ArgumentParser
import CLI
import Foundation
import Queue

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Jobs by state and queue age.")

    @OptionGroup var options: DatabaseOptions

    struct Output: Encodable {
        let counts: [String: Int]
        let total: Int
        let totalReports: Int
        let queueDepth: Int
        let oldestQueuedAt: Date?
        let oldestQueuedAgeSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case counts, total
            case totalReports = "total_reports"
            case queueDepth = "queue_depth"
            case oldestQueuedAt = "oldest_queued_at"
            case oldestQueuedAgeSeconds = "oldest_queued_age_seconds"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(counts, forKey: .counts)
            try c.encode(total, forKey: .total)
            try c.encode(totalReports, forKey: .totalReports)
            try c.encode(queueDepth, forKey: .queueDepth)
            try c.encode(oldestQueuedAt, forKey: .oldestQueuedAt)
            try c.encode(oldestQueuedAgeSeconds, forKey: .oldestQueuedAgeSeconds)
        }
    }

    func run() async throws {
        let stats = try await options.openQueue().stats()
        let now = Date()
        if options.json {
            let counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, stats.counts[$0] ?? 0) })
            print(try JSONOutput.encode(Output(
                counts: counts, total: stats.total, totalReports: stats.totalReports, queueDepth: stats.queueDepth,
                oldestQueuedAt: stats.oldestQueuedAt,
                oldestQueuedAgeSeconds: stats.oldestQueuedAt.map { Int(now.timeIntervalSince($0)) })))
            return
        }
        var table = TextTable(headers: ["STATE", "JOBS"])
        for state in JobState.allCases { table.append([state.rawValue, String(stats.counts[state] ?? 0)]) }
        table.append(["total", String(stats.total)])
        print(table.render())
        print("reports received: \(stats.totalReports)")
        print("oldest queued: \(stats.oldestQueuedAt.map { relativeTime($0, now: now) } ?? "none")")
    }
}
