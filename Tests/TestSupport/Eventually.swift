/// Polls `probe` until it returns a value, or fails naming `what` after `timeout`: tests wait
/// for states, never for fixed times.
public func eventually<T>(_ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(200),
                   _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if let value = try await probe() { return value }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: interval)
    }
    throw TestSupportError("timed out after \(timeout) waiting for \(what)" + (lastError.map { "; last error: \($0)" } ?? ""))
}
