import CCurl
import Foundation

/// One libcurl transfer on a thread of its own, so the blocking `curl_easy_perform`
/// never occupies the Swift concurrency pool. Headers resume a continuation once the final
/// header block is complete; body chunks are yielded into an `AsyncThrowingStream` as they arrive.
final class CurlTransfer: @unchecked Sendable {
    struct Head: Sendable {
        var status: Int
        var headers: HTTPHeaders
    }

    let request: HTTPRequest
    let body: AsyncThrowingStream<Data, any Error>
    private let bodySink: AsyncThrowingStream<Data, any Error>.Continuation
    private let configuration: HTTPClientConfiguration
    private let pool: CurlHandlePool
    private let connectTimeout: Duration
    private let timeout: Duration
    private let maxBytes: Int

    // Shared between the caller's tasks and the transfer thread.
    private let lock = NSLock()
    private var cancelled = false
    private var headWaiter: CheckedContinuation<Head, any Error>?

    // Touched only on the transfer thread.
    private var received = 0
    private var exceededLimit = false
    private var status = 0
    private var headerFields: [(String, String)] = []

    init(request: HTTPRequest, configuration: HTTPClientConfiguration, pool: CurlHandlePool) {
        self.request = request
        self.configuration = configuration
        self.pool = pool
        connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        timeout = request.timeout ?? configuration.timeout
        maxBytes = request.maxResponseBytes ?? configuration.maxResponseBytes
        (body, bodySink) = AsyncThrowingStream.makeStream(of: Data.self)
        bodySink.onTermination = { [weak self] reason in
            if case .cancelled = reason { self?.cancel() }
        }
    }

    /// Starts the transfer thread; `head` resumes with the final status and headers or an error.
    func start(head: CheckedContinuation<Head, any Error>) {
        lock.withLock { headWaiter = head }
        let thread = Thread { [self] in run() }
        thread.name = "curl-transfer"
        thread.start()
    }

    /// Aborts the transfer from its next callback (libcurl calls progress at least once a second).
    func cancel() {
        lock.withLock { cancelled = true }
    }

    private var isCancelled: Bool { lock.withLock { cancelled } }

    private func run() {
        let handle = pool.take()
        let outcome = perform(on: handle)
        // Back in the pool before anyone is resumed, so an immediate next request reuses the connection.
        pool.give(handle)
        finish(with: outcome)
    }

    /// Configures and runs the transfer; nil on success.
    private func perform(on handle: CurlEasyHandle) -> HTTPClientError? {
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        if isCancelled { return .cancelled(url: request.url) }
        let curl = handle.raw
        var setupFailed = false
        func check(_ code: CURLcode) { if code != CURLE_OK { setupFailed = true } }

        check(ccurl_setopt_string(curl, CURLOPT_URL, request.url))
        check(ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))
        check(ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer))
        check(ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.milliseconds))
        check(ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, timeout.milliseconds))
        check(ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1))
        check(ccurl_setopt_long(curl, CURLOPT_MAXREDIRS, configuration.maxRedirects))
        // A redirected POST stays a POST and resends its body (301/302/303 would otherwise become GET).
        check(ccurl_setopt_long(curl, CURLOPT_POSTREDIR, ccurl_redirect_post_all()))
        check(ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0))
        check(ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0))
        if let caBundle = configuration.caBundlePath {
            check(ccurl_setopt_string(curl, CURLOPT_CAINFO, caBundle))
        }
        check(ccurl_setopt_string(curl, CURLOPT_USERAGENT, configuration.userAgent))
        check(ccurl_setopt_long(curl, CURLOPT_TCP_KEEPALIVE, 1))
        // Only HTTP(S), also after redirects (no file:// or other schemes from a Location header).
        check(ccurl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(ccurl_setopt_string(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))

        var headers = request.headers
        // Without this curl waits up to 1 s for "100 Continue" before sending larger bodies.
        if request.body != nil, headers["Expect"] == nil { headers.add("Expect", "") }
        for field in headers {
            let line = field.value.isEmpty ? "\(field.name):" : "\(field.name): \(field.value)"
            headerList = curl_slist_append(headerList, line)
        }
        check(ccurl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList))

        let method = request.method.uppercased()
        switch (method, request.body) {
        case ("GET", nil):
            check(ccurl_setopt_long(curl, CURLOPT_HTTPGET, 1))
        case ("HEAD", _):
            check(ccurl_setopt_long(curl, CURLOPT_NOBODY, 1))
        default:
            if method != "POST" { check(ccurl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method)) }
            if let body = request.body ?? (method == "POST" ? Data() : nil) {
                check(ccurl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                body.withUnsafeBytes { bytes in
                    // COPYPOSTFIELDS copies, so the body may be resent on a redirect after this returns.
                    let base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    check(ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)))
                }
            }
        }
        check(ccurl_set_callbacks(curl, Unmanaged.passUnretained(self).toOpaque(),
                                  curlBodyCallback, curlHeaderCallback, curlProgressCallback))
        if setupFailed { return .invalidRequest(url: request.url, reason: "libcurl rejected an option") }

        let code = curl_easy_perform(curl)
        return code == CURLE_OK ? nil : error(for: code, curl: curl, detail: String(cString: errorBuffer))
    }

    private func error(for code: CURLcode, curl: UnsafeMutableRawPointer, detail: String) -> HTTPClientError {
        let url = request.url
        if isCancelled { return .cancelled(url: url) }
        if exceededLimit { return .responseTooLarge(url: url, limit: maxBytes) }
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(url: url)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dnsFailure(url: url, detail: text)
        case CURLE_OPERATION_TIMEDOUT:
            var connectTime: curl_off_t = 0
            _ = ccurl_getinfo_offset(curl, CURLINFO_CONNECT_TIME_T, &connectTime)
            return connectTime == 0
                ? .connectTimeout(url: url, after: connectTimeout)
                : .timeout(url: url, after: timeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_USE_SSL_FAILED:
            return .tls(url: url, detail: text)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
             CURLE_HTTP2_STREAM, CURLE_HTTP2:
            return .connectionClosed(url: url, detail: text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidRequest(url: url, reason: text)
        default:
            return .transport(url: url, curlCode: Int(code.rawValue), detail: text)
        }
    }

    private func finish(with error: HTTPClientError?) {
        let waiter = lock.withLock { () -> CheckedContinuation<Head, any Error>? in
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

    // MARK: libcurl callbacks (transfer thread)

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
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new header block (after a redirect or 1xx) replaces the previous one.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headerFields = []
        } else if line.isEmpty {
            let redirecting = (300..<400).contains(status) && HTTPHeaders(headerFields)["Location"] != nil
            if status >= 200, !redirecting { deliverHeadIfWaiting() }
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headerFields.append((name, value))
        }
        return count
    }

    fileprivate func shouldAbort() -> Bool { isCancelled }

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

private let curlProgressCallback: ccurl_progress_callback = { context, _, _, _, _ in
    transfer(context).shouldAbort() ? 1 : 0
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive timeout never becomes "no timeout" (0).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(millis)
    }
}
