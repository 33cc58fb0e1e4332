import Synchronization

/// `operation`'s answer, or nil once `deadline` passes (or the caller is cancelled) first.
/// Every PostgreSQL call races against it (`PostgresBackend`), and so do the worker's
/// heartbeat and the leader election, whatever the database.
///
/// Unlike a task group, this does not wait for an operation that ignores cancellation: a
/// database call on a cut link may hang until TCP gives up, minutes later, and a worker that
/// must stop before its lease can expire cannot wait that long. The late operation is
/// cancelled and left to finish on its own; its answer is dropped.
public func answer<T: Sendable>(before deadline: ContinuousClock.Instant,
                         of operation: @escaping @Sendable () async -> T) async -> T? {
    let first = FirstAnswer<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            // Cancelled before it began: nothing to start.
            guard first.wait(continuation) else { return }
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if first.give(nil) { first.cancelWork() }
            }
            first.setWork(Task {
                if first.give(await operation()) { timer.cancel() }
            })
        }
    } onCancel: {
        if first.give(nil) { first.cancelWork() }
    }
}

/// The first answer given wins; the others are dropped. An answer may come before the waiter
/// is in place (a cancelled caller).
private final class FirstAnswer<T: Sendable>: Sendable {
    private enum State {
        case open
        case waiting(CheckedContinuation<T?, Never>)
        case answered(T?)
        case done
    }

    private let state = Mutex(State.open)
    /// The operation's task, and whether it was cancelled before it was handed over (the
    /// deadline can pass between starting the timer and starting the operation).
    private let work = Mutex<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

    func setWork(_ task: Task<Void, Never>) {
        if work.withLock({ $0.task = task; return $0.cancelled }) { task.cancel() }
    }

    func cancelWork() {
        work.withLock { $0.cancelled = true; return $0.task }?.cancel()
    }

    /// False when the answer came first (it is given to `continuation` at once).
    func wait(_ continuation: CheckedContinuation<T?, Never>) -> Bool {
        let ready: T?? = state.withLock { state in
            if case .answered(let value) = state {
                state = .done
                return .some(value)
            }
            state = .waiting(continuation)
            return .none
        }
        guard let ready else { return true }
        continuation.resume(returning: ready)
        return false
    }

    /// True when this answer won.
    @discardableResult
    func give(_ value: T?) -> Bool {
        let waiting: (CheckedContinuation<T?, Never>?, Bool) = state.withLock { state in
            switch state {
            case .open:
                state = .answered(value)
                return (nil, true)
            case .waiting(let continuation):
                state = .done
                return (continuation, true)
            case .answered, .done:
                return (nil, false)
            }
        }
        waiting.0?.resume(returning: value)
        return waiting.1
    }
}
