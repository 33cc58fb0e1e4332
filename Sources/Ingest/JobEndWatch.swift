import Foundation
import Queue

/// Holds requests until their job ends: the prototype answered only once the issue existed,
/// and existing pipeline steps (`curl …/report-failure`) rely on that.
///
/// One watch serves every held request of a server. It looks up the jobs waited for when a
/// job-end signal arrives (`signals`: this process's ends, another process's commits to the
/// SQLite file, or PostgreSQL's NOTIFY) and, as the fallback for a missed signal, every
/// `fallbackInterval`; so the database sees one look per signal for all holders together
/// instead of one poll per holder per interval.
actor JobEndWatch {
    typealias LookUp = @Sendable (Int64) async throws -> Job?

    private struct Holder {
        let continuation: CheckedContinuation<Job?, any Error>
        let deadline: Task<Void, Never>
    }

    private let lookUp: LookUp
    private let signals: (@Sendable () -> AsyncStream<Void>)?
    private let fallbackInterval: Duration
    /// Looks requested and not made yet collapse into one.
    private let looks: AsyncStream<Void>.Continuation
    private var holders: [Int64: [Int: Holder]] = [:]
    private var nextHolder = 0
    private var started = false
    private var tasks: [Task<Void, Never>] = []

    private let lookRequests: AsyncStream<Void>

    init(lookUp: @escaping LookUp, signals: (@Sendable () -> AsyncStream<Void>)?, fallbackInterval: Duration) {
        self.lookUp = lookUp
        self.signals = signals
        self.fallbackInterval = fallbackInterval
        (lookRequests, looks) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    deinit {
        for task in tasks { task.cancel() }
        looks.finish()
    }

    /// The job once it has ended, or nil when `timeout` passes first (or the request is
    /// cancelled). Throws `QueueError.notFound` for an unknown job, and the queue's error when
    /// a look fails.
    func wait(for id: Int64, timeout: Duration) async throws -> Job? {
        guard let job = try await lookUp(id) else { throw QueueError.notFound(jobID: id) }
        if !job.state.isActive { return job }
        startIfNeeded()
        let holder = nextHolder
        nextHolder += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                    return
                }
                let deadline = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.finish(id, holder, with: .success(nil))
                }
                holders[id, default: [:]][holder] = Holder(continuation: continuation, deadline: deadline)
                // The job may have ended between the look above and now: look once more.
                looks.yield()
            }
        } onCancel: {
            Task { await self.finish(id, holder, with: .success(nil)) }
        }
    }

    private func finish(_ id: Int64, _ holder: Int, with result: Result<Job?, any Error>) {
        guard let held = holders[id]?.removeValue(forKey: holder) else { return }
        if holders[id]?.isEmpty == true { holders[id] = nil }
        held.deadline.cancel()
        held.continuation.resume(with: result)
    }

    private func finishAll(_ id: Int64, with result: Result<Job?, any Error>) {
        for holder in Array(holders[id, default: [:]].keys) { finish(id, holder, with: result) }
    }

    /// Looks at every job waited for, once; answers the holders of those that ended.
    private func look() async {
        let ids = Array(holders.keys)
        guard !ids.isEmpty else { return }
        for id in ids {
            do {
                guard let job = try await lookUp(id) else {
                    finishAll(id, with: .failure(QueueError.notFound(jobID: id)))
                    continue
                }
                if !job.state.isActive { finishAll(id, with: .success(job)) }
            } catch {
                finishAll(id, with: .failure(error))
            }
        }
    }

    /// The looking loop, the signal listener and the fallback timer, started by the first holder
    /// and stopped with the watch.
    private func startIfNeeded() {
        guard !started else { return }
        started = true
        let looks = looks
        let lookRequests = lookRequests
        tasks.append(Task { [weak self] in
            for await _ in lookRequests {
                guard let self else { return }
                await self.look()
                // Signals can come faster than looks are useful (many jobs ending at once).
                try? await Task.sleep(for: .milliseconds(20))
            }
        })
        if let signals {
            tasks.append(Task {
                for await _ in signals() { looks.yield() }
            })
        }
        let interval = fallbackInterval
        tasks.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                looks.yield()
            }
        })
    }
}
