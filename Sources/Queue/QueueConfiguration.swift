import Foundation

/// Settings of a queue driver.
public struct QueueConfiguration: Sendable {
    public var retryPolicy: RetryPolicy
    /// A report of a pod whose job finished less than this long ago joins that job.
    public var dedupeWindow: Duration
    /// The time source; tests move it forward instead of sleeping.
    public var now: @Sendable () -> Date

    public init(retryPolicy: RetryPolicy = RetryPolicy(), dedupeWindow: Duration = .seconds(24 * 3600), now: @escaping @Sendable () -> Date = { Date() }) {
        self.retryPolicy = retryPolicy
        self.dedupeWindow = dedupeWindow
        self.now = now
    }
}
