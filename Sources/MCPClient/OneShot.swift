import Foundation

/// A value that is settled exactly once (answer, error, timeout or cancellation — whichever
/// comes first) and can be awaited; later settle attempts are ignored.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?
    private var waiter: CheckedContinuation<Value, any Error>?

    /// Returns false when the value was already settled.
    @discardableResult
    func settle(_ outcome: Result<Value, any Error>) -> Bool {
        let waiting: CheckedContinuation<Value, any Error>?
        lock.lock()
        if result != nil {
            lock.unlock()
            return false
        }
        result = outcome
        waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume(with: outcome)
        return true
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(with: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
