/// Runs concurrent requests in batches, one statement (and one commit) per batch: the requests
/// that arrive while `maxInFlight` batches are running wait and go together in the next one,
/// at most `maxBatch` of them. A request that finds a free slot goes at once, so an idle
/// server adds no delay; under load a batch carries everything that arrived during the
/// previous one, so the cost of a commit (a WAL flush) is shared.
///
/// What SQLite's database thread does for its writes, for a pool of connections: the bound on
/// batches in flight leaves the rest of the pool to workers and the other stores.
actor GroupCommit<Request: Sendable, Answer: Sendable> {
    /// Answers one batch, one result per request in the batch's order.
    typealias Run = @Sendable ([Request]) async -> [Result<Answer, any Error>]

    let maxBatch: Int
    let maxInFlight: Int
    private let run: Run
    private var waiting: [(request: Request, continuation: CheckedContinuation<Answer, any Error>)] = []
    private var inFlight = 0
    private(set) var statistics = GroupCommitStatistics()

    init(maxBatch: Int, maxInFlight: Int, run: @escaping Run) {
        precondition(maxBatch > 0 && maxInFlight > 0, "GroupCommit needs room for one request")
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
        self.run = run
    }

    /// Requests waiting for a batch slot (tests watch it to know a batch has formed).
    var waitingCount: Int { waiting.count }

    /// Answers `request` once the batch that carried it has run. The request is not withdrawn
    /// when the caller is cancelled: it may be committed already (as a single statement would be).
    func submit(_ request: Request) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((request, continuation))
            startBatches()
        }
    }

    private func startBatches() {
        while inFlight < maxInFlight, !waiting.isEmpty {
            let count = min(maxBatch, waiting.count)
            let batch = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            inFlight += 1
            statistics.batches += 1
            statistics.requests += count
            statistics.largestBatch = max(statistics.largestBatch, count)
            Task { await self.execute(batch) }
        }
    }

    private func execute(_ batch: [(request: Request, continuation: CheckedContinuation<Answer, any Error>)]) async {
        let results = await run(batch.map(\.request))
        for (index, waiter) in batch.enumerated() {
            if index < results.count {
                waiter.continuation.resume(with: results[index])
            } else {
                waiter.continuation.resume(throwing: GroupCommitError.unanswered(batch: batch.count, answers: results.count))
            }
        }
        inFlight -= 1
        startBatches()
    }
}

/// A batch's run returned fewer answers than it had requests (a bug in the run).
enum GroupCommitError: Error, Equatable, CustomStringConvertible {
    case unanswered(batch: Int, answers: Int)

    var description: String {
        switch self {
        case .unanswered(let batch, let answers): "a batch of \(batch) requests got \(answers) answers"
        }
    }
}

/// Batches a `GroupCommit` ran and the requests they carried, so far.
public struct GroupCommitStatistics: Sendable, Equatable {
    public var batches = 0
    public var requests = 0
    public var largestBatch = 0

    /// Requests per batch on average (0 before the first).
    public var averageBatch: Double { batches == 0 ? 0 : Double(requests) / Double(batches) }
}
