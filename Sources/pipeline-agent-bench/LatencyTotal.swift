import Synchronization

/// Calls counted and their durations summed, from many tasks at once.
final class LatencyTotal: Sendable {
    private let state = Mutex((count: 0, total: Duration.zero, failures: 0))

    func add(_ duration: Duration, failed: Bool = false) {
        state.withLock {
            $0.count += 1
            $0.total += duration
            if failed { $0.failures += 1 }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var total: Duration { state.withLock { $0.total } }
    var failures: Int { state.withLock { $0.failures } }

    /// Mean duration per call.
    var mean: Duration { state.withLock { $0.count == 0 ? .zero : $0.total / $0.count } }
}
