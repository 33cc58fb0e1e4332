import Synchronization

/// Jobs done during a run, with the moment each slice of `size` jobs was complete: the rate of
/// every slice shows whether the queue slows as its tables grow, which one overall rate hides.
/// On a shared machine the rates move with the neighbours' load, so each slice also gets the
/// CPU time it cost (`cost`, sampled at its end), which they hardly move. Shared by the
/// benchmark's workers.
final class SliceClock: Sendable {
    let size: Int
    private let start: ContinuousClock.Instant
    private let cost: @Sendable () -> SliceCost
    private let state: Mutex<(done: Int, ends: [Duration], costs: [SliceCost])>

    init(size: Int, start: ContinuousClock.Instant = .now, cost: @escaping @Sendable () -> SliceCost = { SliceCost() }) {
        self.size = max(1, size)
        self.start = start
        self.cost = cost
        state = Mutex((0, [], [cost()]))
    }

    var done: Int { state.withLock { $0.done } }

    /// The slice the next completed job falls into (0-based).
    var currentSlice: Int { state.withLock { $0.done / size } }

    /// Counts `count` more jobs done, closing every slice they complete.
    func add(_ count: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            let before = state.done / size
            state.done += count
            for _ in before..<(state.done / size) {
                state.ends.append(now - start)
                state.costs.append(cost())
            }
        }
    }

    /// The cost of each complete slice (the difference of the samples at its ends).
    var costs: [SliceCost] {
        let samples = state.withLock { $0.costs }
        return zip(samples.dropFirst(), samples).map { $0 - $1 }
    }

    /// Time from the start to the end of each complete slice.
    var ends: [Duration] { state.withLock { $0.ends } }

    /// Jobs per second of each complete slice, plus the incomplete last one when it has jobs.
    func rates(total: Int, elapsed: Duration) -> [SliceRate] {
        let ends = self.ends
        var rates: [SliceRate] = []
        var previous = Duration.zero
        for (index, end) in ends.enumerated() {
            rates.append(SliceRate(first: index * size, jobs: size, duration: end - previous))
            previous = end
        }
        let rest = total - ends.count * size
        if rest > 0 { rates.append(SliceRate(first: ends.count * size, jobs: rest, duration: elapsed - previous)) }
        return rates
    }

    /// Time from the start until `jobs` (a multiple of `size`) were done; nil if never reached.
    func elapsed(untilDone jobs: Int) -> Duration? {
        let ends = self.ends
        let index = jobs / size - 1
        return jobs % size == 0 && ends.indices.contains(index) ? ends[index] : nil
    }
}

/// One slice of a run: jobs `first` up to `first + jobs` took `duration`.
struct SliceRate {
    let first: Int
    let jobs: Int
    let duration: Duration

    var perSecond: Int { Int(Double(jobs) / max(duration.seconds, 1e-9)) }
}

/// CPU time spent so far: the whole process's, and the database thread's on its writes.
struct SliceCost {
    var processCPU = Duration.zero
    var databaseCPU = Duration.zero
    var writes = 0

    static func - (lhs: SliceCost, rhs: SliceCost) -> SliceCost {
        SliceCost(processCPU: lhs.processCPU - rhs.processCPU, databaseCPU: lhs.databaseCPU - rhs.databaseCPU,
                  writes: lhs.writes - rhs.writes)
    }
}
