import Synchronization

/// Jobs done during a run, with the moment each slice of `size` jobs was complete: the rate of
/// every slice shows whether the queue slows as its tables grow, which one overall rate hides.
/// Shared by the benchmark's workers.
final class SliceClock: Sendable {
    let size: Int
    private let start: ContinuousClock.Instant
    private let state = Mutex((done: 0, ends: [Duration]()))

    init(size: Int, start: ContinuousClock.Instant = .now) {
        self.size = max(1, size)
        self.start = start
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
            for _ in before..<(state.done / size) { state.ends.append(now - start) }
        }
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
