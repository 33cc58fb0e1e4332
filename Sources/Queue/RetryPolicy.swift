/// When to try a failed job again: exponential backoff with jitter, capped.
///
/// The n-th retry waits `min(cap, base · 2^(n-1))`, shortened by a random share of up to
/// `jitter` of itself so that jobs that failed together do not retry together. A server's
/// `Retry-After` wins when it asks for longer, up to `cap`.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    /// 0 = no jitter, 1 = anywhere between 0 and the full delay.
    public var jitter: Double
    public var maxAttempts: Int

    public init(base: Duration = .seconds(5), cap: Duration = .seconds(600), jitter: Double = 0.5, maxAttempts: Int = 10) {
        self.base = base
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The longest delay before retry number `attempt` (1-based), before jitter.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 62)
        let seconds = base.seconds * Double(UInt64(1) << UInt64(exponent))
        return seconds >= cap.seconds ? cap : .milliseconds(Int64(seconds * 1000))
    }

    /// The delay before the next try, after `attempt` tries have failed.
    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, retryAfter: Duration? = nil, using random: inout R) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt)
        let shortened = ceiling.seconds * (1 - jitter * Double.random(in: 0...1, using: &random))
        let delay = Duration.milliseconds(Int64(shortened * 1000))
        if let retryAfter, retryAfter > delay { return min(retryAfter, cap) }
        return delay
    }

    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        var random = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &random)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
