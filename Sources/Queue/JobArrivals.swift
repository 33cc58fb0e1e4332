/// Tells the workers of this process that a job was enqueued here, so that an idle lease loop
/// looks at once instead of at its next poll (`WorkerService.wakeUps`): `pipeline-agent serve`
/// runs ingest and worker in one process. Jobs enqueued by another process (`pipeline-agent
/// ingest` beside `pipeline-agent worker`, `agentctl jobs enqueue`) are found by the poll.
/// Arrivals a listener has not looked at yet collapse into one.
public final class JobArrivals: Sendable {
    // The same broadcast as job ends: a wake-up says nothing about which job.
    private let announcer = JobEndAnnouncer()

    public init() {}

    public func announce() { announcer.announce() }

    /// Arrivals from now on, until the consuming task stops iterating.
    public func wakeUps() -> AsyncStream<Void> { announcer.announcements() }
}
