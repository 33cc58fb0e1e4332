import CCurl
import Foundation

/// One libcurl multi handle driven by one dedicated thread, so any number of concurrent
/// transfers costs a single thread and shares one connection cache.
///
/// The thread sleeps in `epoll_wait` on the sockets libcurl asks it to watch and wakes only for
/// ready sockets, libcurl's timer or mail, so a wakeup costs the work of what is ready rather than
/// of every open transfer.
///
/// Threads: `add`, `cancel` and `shutdown` run on any thread; they post into `inbox` under
/// `lock` and wake the loop thread through the multi handle's eventfd. The loop thread, started
/// by the first `add`, owns `running` and makes every libcurl call, callbacks included. It keeps
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

    /// What `add` must do after posting, decided under `lock`.
    private enum Posted {
        case startThread(CurlMultiHandle)
        case wake(CurlMultiHandle)
        /// Mail was already waiting, so its poster has woken (or is waking) the thread.
        case queued
        /// The client is gone.
        case refused
        case noWatcher(CurlSocketWatcherError)
    }

    /// Starts `transfer` on the loop thread, starting the thread on first use.
    func add(_ transfer: CurlTransfer) {
        let posted = lock.withLock { () -> Posted in
            switch inbox.phase {
            case .stopping, .stopped:
                return .refused
            case .idle:
                let created: CurlMultiHandle
                do throws(CurlSocketWatcherError) { created = try CurlMultiHandle() } catch { return .noWatcher(error) }
                inbox.phase = .running
                self.multi = created
                inbox.added.append(transfer)
                return .startThread(created)
            case .running:
                guard let multi = self.multi else { return .refused }
                let mustWake = inbox.isEmpty
                inbox.added.append(transfer)
                return mustWake ? .wake(multi) : .queued
            }
        }
        switch posted {
        case let .startThread(multi):
            // The closure keeps the loop alive until the thread ends.
            Thread { [self] in
                // Named from inside: on Linux a name set before `start` does not reach the OS thread.
                Thread.current.name = "curl-multi"
                run(multi)
            }.start()
        case let .wake(multi):
            multi.wakeup()
        case .queued:
            break
        case .refused:
            // Only reachable through a transfer that outlived its client; nothing can run it.
            transfer.finish(with: .cancelled(url: transfer.request.url))
        case let .noWatcher(error):
            // Still idle: the next request tries again.
            transfer.finish(with: HTTPClientError(watcherError: error, url: transfer.request.url))
        }
    }

    /// Removes `transfer` at once; it ends with `.cancelled`.
    func cancel(_ transfer: CurlTransfer) {
        let multi = lock.withLock { () -> CurlMultiHandle? in
            guard inbox.phase == .running || inbox.phase == .stopping else { return nil }
            let mustWake = inbox.isEmpty
            inbox.cancelled.append(transfer)
            return mustWake ? self.multi : nil
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
            // Before sleeping: transfers just added asked for an immediate timeout to start.
            settle(multi.runExpiredTimer(), on: multi)
            do throws(CurlSocketWatcherError) {
                settle(try multi.waitAndAct(), on: multi)
            } catch {
                failAll(on: multi) { HTTPClientError(watcherError: error, url: $0) }
                Thread.sleep(forTimeInterval: 0.01)  // no busy loop if waiting keeps failing
            }
        }
    }

    /// Hands back what libcurl finished or could not run after `code`, the result of its last calls.
    private func settle(_ code: CURLMcode, on multi: CurlMultiHandle) {
        while let done = multi.nextDone() { complete(done.easy, done.result, on: multi) }
        for failed in multi.takeUnwatchable() {
            guard let entry = running.removeValue(forKey: failed.easy) else { continue }
            multi.remove(entry.handle)
            entry.transfer.finish(with: HTTPClientError(watcherError: failed.error, url: entry.transfer.request.url))
        }
        if code != CURLM_OK { failAll(on: multi) { HTTPClientError(multiCode: code, url: $0) } }
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

    private func failAll(on multi: CurlMultiHandle, with error: (_ url: String) -> HTTPClientError) {
        let failed = running
        running = [:]
        for entry in failed.values {
            multi.remove(entry.handle)
            entry.transfer.finish(with: error(entry.transfer.request.url))
        }
    }
}
