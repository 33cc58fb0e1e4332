import CCurl

/// `curl_global_init` must run once before any other libcurl call.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}
