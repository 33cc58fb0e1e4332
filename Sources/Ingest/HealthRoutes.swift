import Hummingbird
import Queue

/// Liveness, readiness and the prototype's `/health`.
struct HealthRoutes: Sendable {
    /// Throws when the database is unreachable or its schema is not the one this binary expects.
    let readiness: @Sendable () async throws -> Void

    struct Status: Encodable {
        let status: String
    }

    struct NotReady: Encodable {
        let status: String
        let reason: String
    }

    /// The prototype answered `{"status": "healthy"}`.
    func health(_ request: Request, context: some RequestContext) -> Response {
        JSONBody.response(.ok, Status(status: "healthy"))
    }

    /// The process serves HTTP; says nothing about its dependencies, so a slow database does
    /// not get the pod restarted.
    func liveness(_ request: Request, context: some RequestContext) -> Response {
        JSONBody.response(.ok, Status(status: "ok"))
    }

    /// The detail goes to the log, not to the (unauthenticated) client.
    func readiness(_ request: Request, context: some RequestContext) async -> Response {
        do {
            try await readiness()
            return JSONBody.response(.ok, Status(status: "ready"))
        } catch {
            context.logger.warning("not ready", metadata: ["error": "\(error)"])
            return JSONBody.response(
                .serviceUnavailable, NotReady(status: "not ready", reason: "database unreachable or schema not current"))
        }
    }
}
