/// The one-shot timer libcurl asks for through `CURLMOPT_TIMERFUNCTION`: when it expires the loop
/// calls `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`, which runs libcurl's own timeouts
/// (connect and total timeouts, retries, a newly added transfer's start).
struct CurlMultiTimer {
    private var deadline: ContinuousClock.Instant?

    /// What the timer callback passed: -1 removes the timer, 0 means "as soon as possible".
    mutating func set(milliseconds: Int) {
        deadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
    }

    /// True once, when the timer has expired; a new one is set only by libcurl.
    mutating func takeIfExpired(now: ContinuousClock.Instant = .now) -> Bool {
        guard let deadline, deadline <= now else { return false }
        self.deadline = nil
        return true
    }

    /// How long a wait may last so the timer is not missed, for `epoll_wait` (-1: no timer).
    func milliseconds(from now: ContinuousClock.Instant = .now) -> Int32 {
        guard let deadline else { return -1 }
        // Rounded up: waking a little early would only loop back to a zero-length wait.
        let remaining = max(deadline - now, .zero).milliseconds
        return Int32(clamping: remaining)
    }
}
