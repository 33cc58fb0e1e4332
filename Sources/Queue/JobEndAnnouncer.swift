import Synchronization

/// Tells whoever waits in this process that some job ended (succeeded, failed, died or was
/// cancelled), so that requests held by `?wait=` look once instead of each polling the
/// database. It says nothing about which job: listeners look up the jobs they wait for.
/// Announcements to a listener that has not looked yet collapse into one.
public final class JobEndAnnouncer: Sendable {
    private let listeners = Mutex<(next: Int, continuations: [Int: AsyncStream<Void>.Continuation])>((0, [:]))

    public init() {}

    public func announce() {
        let continuations = listeners.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield() }
    }

    /// Announcements from now on, until the consuming task stops iterating.
    public func announcements() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = listeners.withLock { state in
            defer { state.next += 1 }
            state.continuations[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Listening streams (tests: a finished listener is forgotten).
    public var listenerCount: Int { listeners.withLock { $0.continuations.count } }
}
