import CCurl
import Foundation

/// One HTTP exchange, driven by a `CurlMultiLoop`. Headers resume a continuation once the final
/// header block is complete; body chunks are yielded into an `AsyncThrowingStream` as they arrive.
///
/// Threads: `start` and `cancel` run on the caller's tasks; `configure`, the libcurl callbacks,
/// `complete` and `finish` run on the loop thread. `lock` guards what both sides touch.
final class CurlTransfer: @unchecked Sendable {
    struct Head: Sendable {
        var status: Int
        var headers: HTTPHeaders
    }

    let request: HTTPRequest
    let body: AsyncThrowingStream<Data, any Error>
    private let bodySink: AsyncThrowingStream<Data, any Error>.Continuation
    private let configuration: HTTPClientConfiguration
    private let connectTimeout: Duration
    private let timeout: Duration
    private let maxBytes: Int
    /// Weak: a finished transfer kept by its response must not keep the loop (and its idle
    /// connections) alive after the client is gone. Written once, in `init`.
    private weak var loop: CurlMultiLoop?

    // Shared between the caller's tasks and the loop thread; guarded by `lock`.
    private let lock = NSLock()
    private var cancelled = false
    private var finished = false
    private var headWaiter: CheckedContinuation<Head, any Error>?

    // Touched only on the loop thread.
    private var received = 0
    private var exceededLimit = false
    private var status = 0
    private var headerFields: [(String, String)] = []

    init(request: HTTPRequest, configuration: HTTPClientConfiguration, loop: CurlMultiLoop) {
        self.request = request
        self.configuration = configuration
        self.loop = loop
        connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        timeout = request.timeout ?? configuration.timeout
        maxBytes = request.maxResponseBytes ?? configuration.maxResponseBytes
        (body, bodySink) = AsyncThrowingStream.makeStream(of: Data.self)
        bodySink.onTermination = { [weak self] reason in
            if case .cancelled = reason { self?.cancel() }
        }
    }

    /// Hands the transfer to the loop; `head` resumes with the final status and headers or an error.
    func start(head: CheckedContinuation<Head, any Error>) {
        lock.withLock { headWaiter = head }
        guard let loop else { return finish(with: .cancelled(url: request.url)) }
        loop.add(self)
    }

    /// Aborts the transfer: the loop removes it at once and it ends with `.cancelled`.
    func cancel() {
        let first = lock.withLock { () -> Bool in
            defer { cancelled = true }
            return !cancelled && !finished
        }
        if first { loop?.cancel(self) }
    }

    private var isCancelled: Bool { lock.withLock { cancelled } }

    // MARK: Loop thread

    /// Sets up `handle` for this transfer; the error to finish with instead of starting, if any.
    func configure(_ handle: CurlEasyHandle, share: UnsafeMutableRawPointer?) -> HTTPClientError? {
        if isCancelled { return .cancelled(url: request.url) }
        let accepted = handle.configure(
            for: request, configuration: configuration, connectTimeout: connectTimeout, timeout: timeout, share: share)
        let callbacks = ccurl_set_callbacks(
            handle.raw, Unmanaged.passUnretained(self).toOpaque(),
            curlBodyCallback, curlHeaderCallback)
        guard accepted, callbacks == CURLE_OK else {
            return .invalidRequest(url: request.url, reason: "libcurl rejected an option")
        }
        return nil
    }

    /// libcurl finished the transfer on `handle` with `code`.
    func complete(_ code: CURLcode, handle: CurlEasyHandle) {
        finish(with: code == CURLE_OK ? nil : error(for: code, handle: handle))
    }

    private func error(for code: CURLcode, handle: CurlEasyHandle) -> HTTPClientError {
        if isCancelled { return .cancelled(url: request.url) }
        if exceededLimit { return .responseTooLarge(url: request.url, limit: maxBytes) }
        var connectTime: curl_off_t = 0
        if code == CURLE_OPERATION_TIMEDOUT { _ = ccurl_getinfo_offset(handle.raw, CURLINFO_CONNECT_TIME_T, &connectTime) }
        return HTTPClientError(
            curlCode: code, url: request.url, detail: handle.errorDetail, connected: connectTime != 0,
            connectTimeout: connectTimeout, timeout: timeout)
    }

    /// Ends the transfer: resumes a caller still waiting for the head and closes the body stream.
    func finish(with error: HTTPClientError?) {
        let waiter = lock.withLock { () -> CheckedContinuation<Head, any Error>? in
            finished = true
            defer { headWaiter = nil }
            return headWaiter
        }
        if let error {
            waiter?.resume(throwing: error)
            bodySink.finish(throwing: error)
        } else {
            waiter?.resume(returning: Head(status: status, headers: HTTPHeaders(headerFields)))
            bodySink.finish()
        }
    }

    // MARK: libcurl callbacks (loop thread)

    fileprivate func receiveBody(_ data: UnsafeRawPointer, count: Int) -> Int {
        if isCancelled { return 0 }
        if received + count > maxBytes {
            exceededLimit = true
            return 0
        }
        received += count
        deliverHeadIfWaiting()
        bodySink.yield(Data(bytes: data, count: count))
        return count
    }

    fileprivate func receiveHeaderLine(_ data: UnsafeRawPointer, count: Int) -> Int {
        if isCancelled { return 0 }
        switch HTTPHeaderLine(UnsafeRawBufferPointer(start: data, count: count)) {
        case let .status(code):
            // A new header block (after a redirect or 1xx) replaces the previous one.
            status = code
            headerFields = []
        case .end:
            let redirecting = (300..<400).contains(status) && headerFields.contains { $0.0.lowercased() == "location" }
            if status >= 200, !redirecting { deliverHeadIfWaiting() }
        case let .field(name, value):
            headerFields.append((name, value))
        case .other:
            break
        }
        return count
    }

    private func deliverHeadIfWaiting() {
        let waiter = lock.withLock { () -> CheckedContinuation<Head, any Error>? in
            defer { headWaiter = nil }
            return headWaiter
        }
        waiter?.resume(returning: Head(status: status, headers: HTTPHeaders(headerFields)))
    }
}

private func transfer(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
    Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
}

private let curlBodyCallback: ccurl_data_callback = { data, size, count, context in
    guard let data else { return 0 }
    return transfer(context).receiveBody(data, count: size * count)
}

private let curlHeaderCallback: ccurl_data_callback = { data, size, count, context in
    guard let data else { return 0 }
    return transfer(context).receiveHeaderLine(data, count: size * count)
}
