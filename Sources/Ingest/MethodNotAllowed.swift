import Hummingbird

extension Router {
    /// Answers 405 with `Allow` for the methods a path does not serve (the router alone would
    /// answer 404, which misleads a client that only got the method wrong).
    func rejectOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let others: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in others where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                throw APIError(.methodNotAllowed, code: "method_not_allowed", message: "use \(allow)", headers: [.allow: allow])
            }
        }
    }
}
