import CCurl
import Foundation

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
