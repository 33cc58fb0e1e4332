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

/// Idle easy handles: each keeps its connection cache, so reusing one reuses live connections.
final class CurlHandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [CurlEasyHandle] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func take() -> CurlEasyHandle {
        lock.withLock { idle.popLast() } ?? CurlEasyHandle()
    }

    func give(_ handle: CurlEasyHandle) {
        // Options are cleared but the connection cache survives curl_easy_reset.
        curl_easy_reset(handle.raw)
        lock.withLock {
            if idle.count < capacity { idle.append(handle) }
        }
    }
}
