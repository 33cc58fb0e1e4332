import Foundation
import Queue

/// Holds a request until its job ends: the prototype answered only once the issue existed,
/// and existing pipeline steps (`curl …/report-failure`) rely on that. The job may run in
/// another process, so the waiter polls the database.
struct JobWaiter: Sendable {
    let queue: any JobQueue
    let pollInterval: Duration

    /// The job once it is finished, or nil when `timeout` passes first.
    func wait(for id: Int64, timeout: Duration) async throws -> Job? {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let job = try await queue.job(id: id) else { throw QueueError.notFound(jobID: id) }
            if !job.state.isActive { return job }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return nil }
            try await Task.sleep(for: min(pollInterval, remaining))
        }
    }
}
