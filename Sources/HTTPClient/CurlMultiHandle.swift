import CCurl

/// Owns a `CURLM*` (its transfers, connection cache and DNS cache) and the `CURLSH*` through
/// which its transfers share TLS sessions. `wakeup` may be called from any thread; everything
/// else belongs to the loop thread.
final class CurlMultiHandle: @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer
    /// Handed to each easy handle as `CURLOPT_SHARE`; nil if libcurl could not make one.
    let share: UnsafeMutableRawPointer?

    init() {
        _ = CurlGlobal.initialized
        guard let raw = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.raw = raw
        // Without lock callbacks a share may only be used from one thread: the loop thread.
        let share = curl_share_init()
        if let share, ccurl_share_setopt_data(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK {
            curl_share_cleanup(share)
            self.share = nil
        } else {
            self.share = share
        }
    }

    /// Released once the loop thread has ended, so no easy handle uses the share any more.
    deinit {
        curl_multi_cleanup(raw)
        if let share { curl_share_cleanup(share) }
    }

    /// Most connections the cache keeps open, in use or idle (`CURLMOPT_MAXCONNECTS`).
    func limitConnections(to count: Int) {
        _ = ccurl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, count)
    }

    func add(_ easy: CurlEasyHandle) -> CURLMcode { curl_multi_add_handle(raw, easy.raw) }

    func remove(_ easy: CurlEasyHandle) { _ = curl_multi_remove_handle(raw, easy.raw) }

    /// Moves every transfer as far as its sockets and timers allow, without blocking.
    func perform() -> CURLMcode {
        var running: Int32 = 0
        return curl_multi_perform(raw, &running)
    }

    /// The next finished transfer since the last `perform`, if any.
    func nextDone() -> (easy: UnsafeMutableRawPointer, result: CURLcode)? {
        var easy: UnsafeMutableRawPointer?
        var result = CURLE_OK
        guard ccurl_multi_next_done(raw, &easy, &result) == 1, let easy else { return nil }
        return (easy, result)
    }

    /// Sleeps until a socket is ready, libcurl's next timeout (which caps `milliseconds`) or `wakeup`.
    func poll(milliseconds: Int32) -> CURLMcode {
        curl_multi_poll(raw, nil, 0, milliseconds, nil)
    }

    /// Ends a `poll` early; thread-safe in libcurl.
    func wakeup() { _ = curl_multi_wakeup(raw) }
}
