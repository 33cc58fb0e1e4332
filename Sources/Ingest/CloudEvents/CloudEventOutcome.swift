import Queue

/// What a received CloudEvent amounts to for the queue.
public enum CloudEventOutcome: Sendable, Equatable {
    /// Failure reports to enqueue (at least one); the route validates and enqueues each.
    case reports([NewJob])
    /// Nothing to report; the route answers 202 with the reason and counts the type. Ignoring
    /// (rather than rejecting) matters: Tekton retries non-2xx answers with back-off.
    case ignored(type: String, reason: String)
}
