import CCurl

/// Receives libcurl's socket and timer callbacks for one multi handle and holds what they ask
/// for: the sockets to watch (in `watcher`) and when to run libcurl's timeouts (`timer`).
///
/// Threads: the callbacks run inside libcurl calls on the loop thread, as does everything else
/// here except `watcher.wake`.
final class CurlMultiEvents {
    let watcher: CurlSocketWatcher
    var timer = CurlMultiTimer()
    /// Transfers (easy handles) whose socket could not be watched; the loop fails them, since
    /// they would otherwise wait for events that never come.
    var unwatchable: [(easy: UnsafeMutableRawPointer, error: CurlSocketWatcherError)] = []

    init(watcher: CurlSocketWatcher) {
        self.watcher = watcher
    }

    /// Installs the callbacks on `multi`; `self` must outlive the multi handle.
    func install(on multi: UnsafeMutableRawPointer) -> CURLMcode {
        ccurl_multi_set_event_callbacks(
            multi, Unmanaged.passUnretained(self).toOpaque(), curlSocketCallback, curlTimerCallback)
    }

    fileprivate func socketChanged(_ socket: Int32, what: Int32, easy: UnsafeMutableRawPointer?) {
        do {
            try watcher.watch(socket, for: what)
        } catch {
            // Not -1 to libcurl: that would mark the whole multi handle dead, for every transfer.
            if let easy { unwatchable.append((easy, error)) }
        }
    }
}

private func events(_ context: UnsafeMutableRawPointer?) -> CurlMultiEvents {
    Unmanaged<CurlMultiEvents>.fromOpaque(context!).takeUnretainedValue()
}

private let curlSocketCallback: curl_socket_callback = { easy, socket, what, context, _ in
    events(context).socketChanged(socket, what: what, easy: easy)
    return 0
}

private let curlTimerCallback: curl_multi_timer_callback = { _, milliseconds, context in
    events(context).timer.set(milliseconds: milliseconds)
    return 0
}
