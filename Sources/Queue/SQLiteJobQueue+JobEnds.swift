import Foundation

extension SQLiteJobQueue {
    /// A signal after jobs may have ended: at once for ends in this process (`jobEnds`), and
    /// within `checkEvery` for commits of other processes sharing the file (the chart's ingest
    /// and worker containers), seen as a change of the file's data version. One cheap check per
    /// interval serves every waiter of the process. The first signal comes once the watch is in
    /// place (as PostgreSQL's listener signals once connected), so that an end that came before
    /// it is not missed. Ends when the consuming task stops iterating.
    public func jobEndSignals(checkEvery interval: Duration = .milliseconds(100)) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let local = jobEnds.announcements()
        let forwarding = Task {
            for await _ in local { continuation.yield() }
        }
        let database = database
        let watching = Task {
            var seen: Int64?
            while !Task.isCancelled {
                // An unreadable file is the waiters' fallback's concern: they look anyway.
                if let version = try? await database.dataVersion() {
                    // Also after the first reading: an end committed between the listener's
                    // last look and this first reading changes no later version.
                    if seen != version { continuation.yield() }
                    seen = version
                }
                try? await Task.sleep(for: interval)
            }
        }
        continuation.onTermination = { _ in
            forwarding.cancel()
            watching.cancel()
        }
        return stream
    }
}
