import Hummingbird

extension Router {
    /// Answers 405 with `Allow` for the methods a path does not serve (the router alone would
    /// answer 404, which misleads a client that only got the method wrong).
    func rejectOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        // TRACE and QUERY (the draft safe-query method) too: without them they got 404 (found by
        // schemathesis' unsupported_method check, which sends both).
        let others: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options, .trace]
            + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in others where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                throw APIError(.methodNotAllowed, code: "method_not_allowed", message: "use \(allow)", headers: [.allow: allow])
            }
        }
    }
}
