import Foundation
import Logging
import Queue
import ServiceLifecycle

/// Deletes finished jobs older than the retention window, with their attempts and transcripts,
/// in small batches in the background (`AGENT_RETENTION_DAYS`): shortly after start, then every
/// `interval`. Each batch is its own short write, and a pause between batches lets ingest and
/// workers in, so pruning a large backlog never stalls the queue. A failed round is logged and
/// tried again at the next interval; it never stops the process.
public struct RetentionService: Service {
    public let retention: any JobRetention
    public let window: Duration
    public let interval: Duration
    public let batch: Int
    /// Only the elected replica prunes (every process on SQLite); the others look again
    /// every `followerInterval`, so a new leader prunes soon after it takes over.
    public let leadership: any Leadership
    public let followerInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date

    public init(retention: any JobRetention, window: Duration, interval: Duration = .seconds(3600), batch: Int = 500,
                logger: Logger, now: @escaping @Sendable () -> Date = Date.init,
                leadership: any Leadership = SingleNodeLeadership(), followerInterval: Duration = .seconds(60)) {
        self.retention = retention
        self.leadership = leadership
        self.followerInterval = followerInterval
        self.window = window
        self.interval = interval
        self.batch = batch
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        logger.info("retention started", metadata: ["days": "\(window.components.seconds / 86400)"])
        // A graceful shutdown ends the wait (and a running round between two batches) at once.
        try? await cancelWhenGracefulShutdown {
            // Not at once: a process that starts takes its first reports before it tidies up.
            var wait = min(interval, .seconds(60))
            while true {
                try await Task.sleep(for: wait)
                guard await leadership.isLeading else {
                    wait = min(interval, followerInterval)
                    continue
                }
                await pruneOnce()
                wait = interval
            }
        }
    }

    /// One round: every batch that is due. Returns what was deleted (nil when the round failed).
    @discardableResult
    public func pruneOnce() async -> PrunedRows? {
        let cutoff = now().addingTimeInterval(-Double(window.components.seconds))
        do {
            let pruned = try await retention.pruneAllFinishedJobs(endedBefore: cutoff, batch: batch, pause: .milliseconds(20))
            if pruned.jobs > 0 {
                logger.info("pruned finished jobs", metadata: [
                    "jobs": "\(pruned.jobs)", "attempts": "\(pruned.attempts)", "transcript_entries": "\(pruned.transcriptEntries)",
                ])
            }
            return pruned
        } catch is CancellationError {
            return nil
        } catch {
            logger.error("pruning failed; trying again at the next interval", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
