/// What callers post to a `CurlMultiLoop`'s thread, and where the loop is in its life.
/// Guarded by the loop's lock.
struct CurlMultiInbox {
    enum Phase {
        /// No request yet: no thread, no multi handle.
        case idle
        case running
        /// The client is gone: the thread ends once its transfers have finished.
        case stopping
        /// The thread has ended (or never started).
        case stopped
    }

    var phase = Phase.idle
    /// Transfers to start.
    var added: [CurlTransfer] = []
    /// Transfers to remove and finish with `.cancelled`.
    var cancelled: [CurlTransfer] = []

    /// No mail waiting: the next post must wake the loop thread.
    var isEmpty: Bool { added.isEmpty && cancelled.isEmpty }

    /// Empties the inbox, handing over what it held.
    mutating func take() -> (added: [CurlTransfer], cancelled: [CurlTransfer]) {
        defer {
            added = []
            cancelled = []
        }
        return (added, cancelled)
    }
}
