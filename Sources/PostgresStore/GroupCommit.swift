import Store

/// Runs concurrent requests in batches, one statement (and one commit) per batch: the requests
/// that arrive while `maxInFlight` batches are running wait and go together in the next one,
/// at most `maxBatch` of them. A request that finds a free slot goes at once, so an idle
/// server adds no delay; under load a batch carries everything that arrived during the
/// previous one, so the cost of a commit (a WAL flush) is shared.
///
/// What SQLite's database thread does for its writes, for a pool of connections: the bound on
/// batches in flight leaves the rest of the pool to workers and the other stores.
///
/// A batch unanswered after `deadline` fails its requests and frees its slot, so that one
/// call that never returns (a connection gone silent) cannot hold every later request; what
/// it answers afterwards is dropped. Such a request may still have been written: the caller
/// got an error, never a success without its write.
actor GroupCommit<Request: Sendable, Answer: Sendable> {
    /// Answers one batch, one result per request in the batch's order.
    typealias Run = @Sendable ([Request]) async -> [Result<Answer, any Error>]

    typealias Waiter = (request: Request, continuation: CheckedContinuation<Answer, any Error>)

    let maxBatch: Int
    let maxInFlight: Int
    let deadline: Duration
    private let run: Run
    private var waiting: [Waiter] = []
    /// Batches running and not yet answered, by number.
    private var open: [Int: [Waiter]] = [:]
    private var nextBatch = 0
    private var inFlight = 0
    private(set) var statistics = GroupCommitStatistics()

    init(maxBatch: Int, maxInFlight: Int, deadline: Duration, run: @escaping Run) {
        precondition(maxBatch > 0 && maxInFlight > 0, "GroupCommit needs room for one request")
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
        self.deadline = deadline
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
            let number = nextBatch
            nextBatch += 1
            open[number] = batch
            let requests = batch.map(\.request)
            Task { await self.execute(number, requests) }
        }
    }

    private func execute(_ number: Int, _ requests: [Request]) async {
        let deadline = deadline
        let timer = Task {
            try await Task.sleep(for: deadline)
            self.answer(number, with: nil)
        }
        let results = await run(requests)
        timer.cancel()
        answer(number, with: results)
    }

    /// Answers batch `number` unless it was answered already; nil: its deadline passed.
    private func answer(_ number: Int, with results: [Result<Answer, any Error>]?) {
        guard let batch = open.removeValue(forKey: number) else { return }
        for (index, waiter) in batch.enumerated() {
            if let results, index < results.count {
                waiter.continuation.resume(with: results[index])
            } else if let results {
                waiter.continuation.resume(throwing: GroupCommitError.unanswered(batch: batch.count, answers: results.count))
            } else {
                waiter.continuation.resume(throwing: GroupCommitError.noAnswer(batch: batch.count, within: deadline))
            }
        }
        inFlight -= 1
        startBatches()
    }
}

/// Why a request of a batch got no answer of its own. A `DatabaseFailure`: ingest answers 503
/// with Retry-After, and a report that was written after all counts the retry as a duplicate.
public enum GroupCommitError: DatabaseFailure, Equatable {
    /// The batch's run returned fewer answers than it had requests (a bug in the run).
    case unanswered(batch: Int, answers: Int)
    /// The batch's run did not return within the deadline (the database or the link hangs).
    case noAnswer(batch: Int, within: Duration)

    public var isTransient: Bool {
        if case .noAnswer = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unanswered(let batch, let answers): "a batch of \(batch) requests got \(answers) answers"
        case .noAnswer(let batch, let within): "a batch of \(batch) writes (reports or completions) got no answer from the database within \(within)"
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
