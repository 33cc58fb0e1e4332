@testable import HTTPClient
import Testing

/// libcurl reads a timeout of 0 as "none": only `.zero` may turn into it.
@Suite struct TimeoutMillisecondsTests {
    @Test func positiveTimeoutsRoundUpAndNeverBecomeZero() {
        #expect(Duration.zero.milliseconds == 0)
        #expect(Duration.nanoseconds(1).milliseconds == 1)
        #expect(Duration.microseconds(1500).milliseconds == 2)
        #expect(Duration.seconds(30).milliseconds == 30_000)
        #expect(Duration.seconds(-5).milliseconds < 0)
    }

    @Test func hugeTimeoutsAreCappedInsteadOfOverflowing() {
        #expect(Duration.seconds(Int64.max / 10).milliseconds == Duration.longestCurlTimeoutMilliseconds)
        #expect(Duration.seconds(Int64.max).milliseconds == Duration.longestCurlTimeoutMilliseconds)
        #expect(Duration.seconds(Int64.min).milliseconds == -1)
    }
}
