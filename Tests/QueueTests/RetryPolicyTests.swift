import Testing
@testable import Queue

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleUpToTheCap() {
        let policy = RetryPolicy(base: .seconds(2), cap: .seconds(30), jitter: 0)
        let delays = (1...6).map { policy.delay(afterAttempt: $0) }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
        #expect(policy.delay(afterAttempt: 500) == .seconds(30))
    }

    @Test func jitterStaysWithinBoundsAndVaries() {
        let policy = RetryPolicy(base: .seconds(10), cap: .seconds(600), jitter: 0.5)
        for attempt in 1...8 {
            let ceiling = policy.ceiling(afterAttempt: attempt)
            let samples = (0..<200).map { _ in policy.delay(afterAttempt: attempt) }
            #expect(samples.allSatisfy { $0 <= ceiling && $0 >= ceiling / 2 })
            #expect(Set(samples).count > 10, "jitter must spread retries")
        }
    }

    @Test func retryAfterOverridesOnlyWhenLonger() {
        let policy = RetryPolicy(base: .seconds(10), cap: .seconds(600), jitter: 0)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(90)) == .seconds(90))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3)) == .seconds(10))
    }

    @Test func retryAfterIsCappedLikeTheBackoff() {
        let policy = RetryPolicy(base: .seconds(10), cap: .seconds(600), jitter: 0)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(86_400)) == .seconds(600))
        let small = RetryPolicy(base: .seconds(10), cap: .seconds(5), jitter: 0)
        #expect(small.delay(afterAttempt: 1, retryAfter: .seconds(60)) == .seconds(5))
    }
}
