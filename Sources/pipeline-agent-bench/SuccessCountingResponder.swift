import Hummingbird
import Synchronization

/// Wraps the router and counts the 2xx answers the server produced for one path. wrk counts
/// only the answers it read before its deadline; the server's own count is the exact figure
/// to compare with the jobs in the database.
struct SuccessCountingResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner
    let path: String
    let counter: SuccessCounter

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        let response = try await inner.respond(to: request, context: context)
        if (200..<300).contains(response.status.code), request.uri.path == path { counter.increment() }
        return response
    }
}

final class SuccessCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
