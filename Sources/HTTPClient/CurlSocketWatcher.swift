import CCurl
import Glibc

/// The sockets libcurl asks the loop to watch, in one epoll set, plus an eventfd in the same set
/// through which other threads wake the loop. A wakeup costs the work of the sockets that are
/// ready, not of every open transfer.
///
/// Threads: `wake` may be called from any thread. Everything else runs on the loop thread, some of
/// it inside libcurl's socket callback.
final class CurlSocketWatcher: @unchecked Sendable {
    private let epoll: Int32
    private let wakeup: Int32
    /// Watched sockets and the epoll events asked for (EPOLLIN / EPOLLOUT). Loop thread only.
    private var interest: [Int32: UInt32] = [:]
    /// Filled by `epoll_wait`; allocated once. More ready sockets than fit wait for the next call
    /// (the set is level-triggered, so none is lost).
    private let ready: UnsafeMutableBufferPointer<epoll_event>

    init(capacity: Int = 256) throws(CurlSocketWatcherError) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw CurlSocketWatcherError(operation: "epoll_create1", errno: Glibc.errno) }
        let wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeup >= 0 else {
            let code = Glibc.errno
            close(epoll)
            throw CurlSocketWatcherError(operation: "eventfd", errno: code)
        }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeup))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0 else {
            let code = Glibc.errno
            close(wakeup)
            close(epoll)
            throw CurlSocketWatcherError(operation: "epoll_ctl", errno: code)
        }
        self.epoll = epoll
        self.wakeup = wakeup
        ready = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        close(wakeup)
        close(epoll)
        ready.deallocate()
    }

    /// Ends the current or next `wait` early; thread-safe.
    func wake() {
        var one: UInt64 = 1
        // EAGAIN only when the counter is saturated, and then a wakeup is pending anyway.
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    /// Watches `socket` for what libcurl's socket callback asked (`CURL_POLL_IN`, `_OUT`, `_INOUT`),
    /// or stops watching it (`CURL_POLL_REMOVE`).
    func watch(_ socket: Int32, for what: Int32) throws(CurlSocketWatcherError) {
        if what == CURL_POLL_REMOVE { return unwatch(socket) }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        var event = epoll_event(events: events, data: epoll_data_t(fd: socket))
        var operation = interest[socket] == nil ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        if epoll_ctl(epoll, operation, socket, &event) != 0 {
            // A closed descriptor leaves the set by itself and its number may come back: switch
            // between adding and modifying once rather than trust the bookkeeping.
            let code = Glibc.errno
            guard code == EEXIST || code == ENOENT else {
                throw CurlSocketWatcherError(operation: "epoll_ctl", errno: code)
            }
            operation = code == EEXIST ? EPOLL_CTL_MOD : EPOLL_CTL_ADD
            guard epoll_ctl(epoll, operation, socket, &event) == 0 else {
                throw CurlSocketWatcherError(operation: "epoll_ctl", errno: Glibc.errno)
            }
        }
        interest[socket] = events
    }

    private func unwatch(_ socket: Int32) {
        guard interest.removeValue(forKey: socket) != nil else { return }
        // Fails harmlessly when libcurl closed the socket first: closing removed it already.
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
    }

    /// Sleeps until a watched socket is ready, `milliseconds` pass (-1: no limit) or `wake` is
    /// called, then hands each ready socket to `body` with its `CURL_CSELECT_*` flags. `body` may
    /// change what is watched; a socket unwatched meanwhile is skipped.
    func wait(milliseconds: Int32, _ body: (_ socket: Int32, _ flags: Int32) -> Void) throws(CurlSocketWatcherError) {
        let count = epoll_wait(epoll, ready.baseAddress, Int32(ready.count), milliseconds)
        guard count >= 0 else {
            let code = Glibc.errno
            if code == EINTR { return }
            throw CurlSocketWatcherError(operation: "epoll_wait", errno: code)
        }
        for index in 0..<Int(count) {
            let event = ready[index]
            let socket = event.data.fd
            if socket == wakeup {
                var counter: UInt64 = 0
                _ = read(wakeup, &counter, MemoryLayout<UInt64>.size)
                continue
            }
            guard let asked = interest[socket] else { continue }
            body(socket, Self.selectFlags(event.events, asked: asked))
        }
    }

    /// Like libcurl's own poll: an error or hang-up counts as ready for what was asked, so the
    /// next read or write reports the actual failure.
    private static func selectFlags(_ events: UInt32, asked: UInt32) -> Int32 {
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        var flags: Int32 = 0
        if asked & EPOLLIN.rawValue != 0, failed || events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
        if asked & EPOLLOUT.rawValue != 0, failed || events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
        return flags
    }
}
