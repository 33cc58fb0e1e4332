import CCurl
import Foundation

/// Owns one `CURL*`; a final class so the handle is freed in `deinit` (an actor could not).
final class CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init() {
        _ = CurlGlobal.initialized
        guard let raw = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }
}

/// `curl_global_init` must run once before any other libcurl call.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}
