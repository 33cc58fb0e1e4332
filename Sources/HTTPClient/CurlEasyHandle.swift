import CCurl

/// One `CURL*` together with the memory its options point into (error buffer, header list,
/// request body), so all of it is freed at once, after libcurl's last use.
///
/// Created, configured, driven and freed on the loop thread only: handles share the loop's TLS
/// session cache, which libcurl does not lock.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER`: libcurl's detail message for a failure.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// `CURLOPT_HTTPHEADER` keeps pointing at this list during the transfer.
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// `CURLOPT_POSTFIELDS` keeps pointing at these bytes, also when a redirect resends them.
    var body: CurlRequestBody?

    init() {
        _ = CurlGlobal.initialized
        guard let raw = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    var errorDetail: String { String(cString: errorBuffer) }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }
}
