import Glibc

/// A system call of the loop's socket watcher failed (file descriptors exhausted, out of memory).
struct CurlSocketWatcherError: Error, CustomStringConvertible {
    /// The failing call, e.g. "epoll_wait".
    let operation: String
    let errno: Int32

    var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}
