import Hummingbird
import Logging
import Queue
import Store

/// Turns every error into the API's JSON error shape. Internals never reach the client: an
/// unexpected error is logged and answered with a bare 500; a database error (SQLite's or
/// PostgreSQL's: busy, down, full, a deadlock) is a 503 with `Retry-After`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let retryAfterSeconds: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try translate(error).response(from: request, context: context)
        } catch let error as QueueError {
            return try translate(error).response(from: request, context: context)
        } catch let error as any DatabaseFailure {
            context.logger.error("database error", metadata: ["error": "\(error)"])
            return try APIError.unavailable(retryAfter: retryAfterSeconds, "database unavailable, retry later")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return try APIError(.internalServerError, code: "internal", message: "internal error")
                .response(from: request, context: context)
        }
    }

    private func translate(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: return APIError(.notFound, code: "not_found", message: "no such endpoint")
        case .contentTooLarge: return APIError(.contentTooLarge, code: "body_too_large", message: "request body is too large")
        default: return APIError(error.status, code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
        }
    }

    private func translate(_ error: QueueError) -> APIError {
        switch error {
        case .invalidInput(let field, let message): return .invalidField(field, message)
        case .notFound(let id): return APIError(.notFound, code: "not_found", message: "job \(id) not found")
        default: return APIError(.conflict, code: "conflict", message: error.description)
        }
    }
}
