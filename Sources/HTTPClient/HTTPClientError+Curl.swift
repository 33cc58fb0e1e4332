import CCurl

extension HTTPClientError {
    /// The error for a transfer libcurl ended with `code`. `detail` is libcurl's error buffer
    /// (its generic text for `code` when empty); `connected` tells a connect timeout from a total one.
    init(curlCode code: CURLcode, url: String, detail: String, connected: Bool,
         connectTimeout: Duration, timeout: Duration) {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_COULDNT_CONNECT:
            self = .connectionRefused(url: url)
        case CURLE_COULDNT_RESOLVE_HOST:
            self = .dnsFailure(url: url, detail: text)
        case CURLE_OPERATION_TIMEDOUT:
            self = connected ? .timeout(url: url, after: timeout) : .connectTimeout(url: url, after: connectTimeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_USE_SSL_FAILED:
            self = .tls(url: url, detail: text)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
             CURLE_HTTP2_STREAM, CURLE_HTTP2:
            self = .connectionClosed(url: url, detail: text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            self = .invalidRequest(url: url, reason: text)
        default:
            self = .transport(url: url, curlCode: Int(code.rawValue), detail: text)
        }
    }

    /// The multi handle itself failed (out of memory, poll failure): every transfer on it fails.
    init(multiCode code: CURLMcode, url: String) {
        self = .transport(url: url, curlCode: Int(code.rawValue), detail: String(cString: curl_multi_strerror(code)))
    }

    /// The loop could not watch sockets (descriptors or memory exhausted): its transfers fail.
    init(watcherError error: CurlSocketWatcherError, url: String) {
        self = .transport(url: url, curlCode: Int(CURLM_UNRECOVERABLE_POLL.rawValue), detail: error.description)
    }
}
