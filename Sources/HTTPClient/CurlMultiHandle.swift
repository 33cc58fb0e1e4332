import CCurl

/// Owns a `CURLM*` (its transfers, connection cache and DNS cache), the `CURLSH*` through which
/// its transfers share TLS sessions, and the socket watcher and timer libcurl drives it with
/// (the socket API: only sockets that are ready cost work). `wakeup` may be called from any
/// thread; everything else belongs to the loop thread.
final class CurlMultiHandle: @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer
    /// Handed to each easy handle as `CURLOPT_SHARE`; nil if libcurl could not make one.
    let share: UnsafeMutableRawPointer?
    /// Released after `raw`: `curl_multi_cleanup` still reports sockets it closes.
    private let events: CurlMultiEvents

    init() throws(CurlSocketWatcherError) {
        _ = CurlGlobal.initialized
        events = CurlMultiEvents(watcher: try CurlSocketWatcher())
        guard let raw = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.raw = raw
        // Fails only for an option this libcurl does not know, and the socket API is 7.15.4.
        let installed = events.install(on: raw)
        precondition(installed == CURLM_OK, "libcurl rejected the socket and timer callbacks")
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

    /// Adds a transfer; libcurl then asks for an immediate timeout, so `runExpiredTimer` starts it.
    func add(_ easy: CurlEasyHandle) -> CURLMcode { curl_multi_add_handle(raw, easy.raw) }

    func remove(_ easy: CurlEasyHandle) { _ = curl_multi_remove_handle(raw, easy.raw) }

    /// Runs libcurl's due timeouts, if its timer has expired: connect and total timeouts,
    /// and the start of transfers added since.
    func runExpiredTimer() -> CURLMcode {
        guard events.timer.takeIfExpired() else { return CURLM_OK }
        return act(on: CURL_SOCKET_TIMEOUT, flags: 0)
    }

    /// Sleeps until a watched socket is ready, the timer expires or `wakeup` is called, then lets
    /// libcurl move the transfers on each ready socket. The first failure, if any.
    func waitAndAct() throws(CurlSocketWatcherError) -> CURLMcode {
        var result = CURLM_OK
        try events.watcher.wait(milliseconds: events.timer.milliseconds()) { socket, flags in
            let code = act(on: socket, flags: flags)
            if result == CURLM_OK { result = code }
        }
        return result
    }

    private func act(on socket: curl_socket_t, flags: Int32) -> CURLMcode {
        var running: Int32 = 0
        return curl_multi_socket_action(raw, socket, flags, &running)
    }

    /// The next finished transfer since the last call, if any.
    func nextDone() -> (easy: UnsafeMutableRawPointer, result: CURLcode)? {
        var easy: UnsafeMutableRawPointer?
        var result = CURLE_OK
        guard ccurl_multi_next_done(raw, &easy, &result) == 1, let easy else { return nil }
        return (easy, result)
    }

    /// Transfers whose socket the watcher could not take since the last call; they must be failed.
    func takeUnwatchable() -> [(easy: UnsafeMutableRawPointer, error: CurlSocketWatcherError)] {
        defer { events.unwatchable = [] }
        return events.unwatchable
    }

    /// Ends a `waitAndAct` early; thread-safe.
    func wakeup() { events.watcher.wake() }
}
