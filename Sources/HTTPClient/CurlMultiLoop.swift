import CCurl
import Foundation

/// One libcurl multi handle driven by one dedicated thread, so any number of concurrent
/// transfers costs a single thread and shares one connection cache.
///
/// Threads: `add`, `cancel` and `shutdown` run on any thread; they post into `inbox` under
/// `lock` and wake the loop thread with `curl_multi_wakeup`. The loop thread, started by the
/// first `add`, owns `running` and makes every other libcurl call, callbacks included. It keeps
/// the loop alive and ends after `shutdown`, once no transfer is left.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Running {
        let transfer: CurlTransfer
        let handle: CurlEasyHandle
    }

    private let maxIdleConnections: Int

    private let lock = NSLock()
    // Guarded by `lock`.
    private var inbox = CurlMultiInbox()
    /// Created with the thread, so a client that never sends costs neither.
    private var multi: CurlMultiHandle?

    // Loop thread only; keyed by the easy handle, which is what libcurl reports back.
    private var running: [UnsafeMutableRawPointer: Running] = [:]

    init(maxIdleConnections: Int) {
        self.maxIdleConnections = maxIdleConnections
    }

    /// Starts `transfer` on the loop thread, starting the thread on first use.
    func add(_ transfer: CurlTransfer) {
        let (multi, isFirst) = lock.withLock { () -> (CurlMultiHandle?, Bool) in
            switch inbox.phase {
            case .stopping, .stopped:
                return (nil, false)
            case .idle:
                inbox.phase = .running
                let created = CurlMultiHandle()
                self.multi = created
                inbox.added.append(transfer)
                return (created, true)
            case .running:
                inbox.added.append(transfer)
                return (self.multi, false)
            }
        }
        guard let multi else {
            // Only reachable through a transfer that outlived its client; nothing can run it.
            return transfer.finish(with: .cancelled(url: transfer.request.url))
        }
        if isFirst {
            // The closure keeps the loop alive until the thread ends.
            Thread { [self] in
                // Named from inside: on Linux a name set before `start` does not reach the OS thread.
                Thread.current.name = "curl-multi"
                run(multi)
            }.start()
        } else {
            multi.wakeup()
        }
    }

    /// Removes `transfer` at once (no waiting for a progress callback); it ends with `.cancelled`.
    func cancel(_ transfer: CurlTransfer) {
        let multi = lock.withLock { () -> CurlMultiHandle? in
            guard inbox.phase == .running || inbox.phase == .stopping else { return nil }
            inbox.cancelled.append(transfer)
            return self.multi
        }
        multi?.wakeup()
    }

    /// Lets the thread end once the transfers in flight have finished; called by the client's deinit.
    func shutdown() {
        let multi = lock.withLock { () -> CurlMultiHandle? in
            switch inbox.phase {
            case .idle: inbox.phase = .stopped
            case .running: inbox.phase = .stopping
            case .stopping, .stopped: break
            }
            return self.multi
        }
        multi?.wakeup()
    }

    // MARK: Loop thread

    private func run(_ multi: CurlMultiHandle) {
        while let mail = collectMail() {
            for transfer in mail.added { begin(transfer, on: multi) }
            for transfer in mail.cancelled { abort(transfer, on: multi) }
            multi.limitConnections(to: connectionLimit)
            let performed = multi.perform()
            while let done = multi.nextDone() { complete(done.easy, done.result, on: multi) }
            if performed != CURLM_OK { failAll(performed, on: multi) }
            // The cap only matters when nothing runs: libcurl wakes earlier for its own timeouts.
            let polled = multi.poll(milliseconds: 1000)
            if polled != CURLM_OK {
                failAll(polled, on: multi)
                Thread.sleep(forTimeInterval: 0.01)  // no busy loop if polling keeps failing
            }
        }
    }

    /// libcurl counts connections in use against its cache limit too: allow the idle ones on top.
    private var connectionLimit: Int {
        let (sum, overflow) = running.count.addingReportingOverflow(max(maxIdleConnections, 0))
        return overflow ? Int.max : max(sum, 1)
    }

    /// What callers posted since the last call; nil when the thread may end (shut down, nothing
    /// running or posted).
    private func collectMail() -> (added: [CurlTransfer], cancelled: [CurlTransfer])? {
        lock.withLock {
            if inbox.phase == .stopping, running.isEmpty, inbox.added.isEmpty {
                inbox.phase = .stopped
                return nil
            }
            return inbox.take()
        }
    }

    private func begin(_ transfer: CurlTransfer, on multi: CurlMultiHandle) {
        // A fresh easy handle per transfer: connections live in the multi handle, and an idle
        // easy handle would only hold buffers.
        let handle = CurlEasyHandle()
        if let failure = transfer.configure(handle, share: multi.share) {
            return transfer.finish(with: failure)
        }
        let code = multi.add(handle)
        guard code == CURLM_OK else {
            return transfer.finish(with: HTTPClientError(multiCode: code, url: transfer.request.url))
        }
        running[handle.raw] = Running(transfer: transfer, handle: handle)
    }

    private func abort(_ transfer: CurlTransfer, on multi: CurlMultiHandle) {
        // Cancelling is rare, so a scan beats a second index; absent when it already finished.
        guard let key = running.first(where: { $0.value.transfer === transfer })?.key,
              let entry = running.removeValue(forKey: key) else { return }
        multi.remove(entry.handle)
        transfer.finish(with: .cancelled(url: transfer.request.url))
    }

    private func complete(_ easy: UnsafeMutableRawPointer, _ result: CURLcode, on multi: CurlMultiHandle) {
        guard let entry = running.removeValue(forKey: easy) else { return }
        // The connection is back in the cache already, so a request sent once the caller
        // resumes can reuse it.
        multi.remove(entry.handle)
        entry.transfer.complete(result, handle: entry.handle)
    }

    private func failAll(_ code: CURLMcode, on multi: CurlMultiHandle) {
        let failed = running
        running = [:]
        for entry in failed.values {
            multi.remove(entry.handle)
            entry.transfer.finish(with: HTTPClientError(multiCode: code, url: entry.transfer.request.url))
        }
    }
}
