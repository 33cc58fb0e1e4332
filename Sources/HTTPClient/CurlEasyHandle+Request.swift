import CCurl
import Foundation

extension CurlEasyHandle {
    /// Sets every option `request` needs except the callbacks; false when libcurl rejected one.
    /// `share` is the loop's TLS session cache, so new connections to a known host resume a session.
    func configure(for request: HTTPRequest, configuration: HTTPClientConfiguration,
                   connectTimeout: Duration, timeout: Duration, share: UnsafeMutableRawPointer?) -> Bool {
        let curl = raw
        var accepted = true
        func check(_ code: CURLcode) { if code != CURLE_OK { accepted = false } }

        check(ccurl_setopt_string(curl, CURLOPT_URL, request.url))
        check(ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))
        check(ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer))
        check(ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.milliseconds))
        check(ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, timeout.milliseconds))
        // 0 redirects: a 3xx is the answer (curl would otherwise fail with "too many redirects").
        check(ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, configuration.maxRedirects > 0 ? 1 : 0))
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
        check(ccurl_setopt_long(curl, CURLOPT_BUFFERSIZE, configuration.receiveBufferBytes))
        // Only HTTP(S), also after redirects (no file:// or other schemes from a Location header).
        check(ccurl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(ccurl_setopt_string(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        if let share { check(ccurl_setopt_pointer(curl, CURLOPT_SHARE, share)) }
        // No idle connections wanted: close each one after its transfer.
        if configuration.maxIdleConnections <= 0 { check(ccurl_setopt_long(curl, CURLOPT_FORBID_REUSE, 1)) }

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
            if let data = request.body ?? (method == "POST" ? Data() : nil) {
                let body = CurlRequestBody(data)
                self.body = body
                check(ccurl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                check(ccurl_setopt_pointer(curl, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.bytes)))
            }
        }
        return accepted
    }
}
