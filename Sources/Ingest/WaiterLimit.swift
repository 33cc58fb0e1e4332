import Synchronization

/// At most `capacity` requests held by `?wait=` at once (`AGENT_MAX_WAITERS`): each holds a
/// connection and polls the database, so without a bound a burst of waiting reports could
/// exhaust both. Beyond it the answer is 503 with `Retry-After`, before any job is made.
final class WaiterLimit: Sendable {
    let capacity: Int
    private let held = Atomic<Int>(0)

    init(capacity: Int) { self.capacity = capacity }

    /// Takes a slot; false when all are held.
    func acquire() -> Bool {
        var current = held.load(ordering: .relaxed)
        while current < capacity {
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() { held.subtract(1, ordering: .acquiringAndReleasing) }

    var count: Int { held.load(ordering: .relaxed) }
}
