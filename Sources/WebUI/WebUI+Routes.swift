import Foundation
import Hummingbird
import Logging

extension WebUI {
    /// The policy every UI response carries: scripts and styles only from `/ui/static`, no
    /// inline code or `style` attributes, no frames, no plugins, forms only to the UI itself.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    /// Puts the UI under `/ui` on `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/ui") { _, _ -> Response in Self.redirect("/ui/jobs") }
        router.get("/ui/static/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let file = StaticAssets.files[name] else {
                return Self.page(ErrorPage(layout: layout).render(title: "Not found", message: "No such file."), status: .notFound)
            }
            var response = Self.page(file.body.withUTF8Buffer { Array($0) }, status: .ok, contentType: file.contentType)
            response.headers[.cacheControl] = "max-age=300"
            return response
        }
        router.get("/ui/login") { request, _ -> Response in
            guard case .token = access else { return Self.redirect("/ui/jobs") }
            return Self.page(LoginPage().render(next: WebUIAccess.safeNext(UIQuery(request).string("next")), failed: false), status: .ok)
        }
        router.post("/ui/login") { request, _ -> Response in try await login(request) }
        router.post("/ui/logout") { request, _ -> Response in
            var response = Self.redirect("/ui/login")
            response.headers[.setCookie] = WebUIAccess.logoutCookie(secure: Self.isSecure(request))
            return response
        }
        router.get("/ui/jobs") { request, context -> Response in
            await serve(request, context) { try await jobs(UIQuery(request)) }
        }
        router.get("/ui/jobs/:id") { request, context -> Response in
            await serve(request, context) { try await job(id: try Self.parameter(context, "id")) }
        }
        router.get("/ui/jobs/:id/attempts/:attempt") { request, context -> Response in
            await serve(request, context) {
                let attempt = try Self.parameter(context, "attempt")
                guard attempt <= Int64(Int32.max) else { throw UIError.badRequest("attempt is too large") }
                return try await transcript(jobID: try Self.parameter(context, "id"), attempt: Int(attempt))
            }
        }
        router.get("/ui/groups") { request, context -> Response in
            await serve(request, context) { try await groupList() }
        }
        router.get("/ui/groups/:id") { request, context -> Response in
            await serve(request, context) { try await group(id: try Self.parameter(context, "id")) }
        }
        router.get("/ui/health") { request, context -> Response in
            await serve(request, context) { try await health() }
        }
    }

    /// A router with the UI alone, for its own loopback port (`AGENT_UI_PORT`).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addRoutes(to: router)
        router.get("/") { _, _ -> Response in Self.redirect("/ui/jobs") }
        return router
    }

    /// Checks access, renders, and turns errors into pages: a reader's mistake is a 400 or 404,
    /// a database error is logged and shown as a 503 without its details.
    private func serve<Context: RequestContext>(_ request: Request, _ context: Context,
                                                _ render: () async throws -> [UInt8]) async -> Response {
        guard access.admits(request) else {
            if request.headers[.authorization] != nil {
                var response = Self.page(
                    ErrorPage(layout: PageLayout(signedIn: false)).render(title: "Not authorized", message: "Wrong bearer token."),
                    status: .unauthorized)
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Self.redirect("/ui/login?next=" + UIFormat.queryEncoded(path))
        }
        do {
            return Self.page(try await render(), status: .ok)
        } catch UIError.badRequest(let message) {
            return Self.page(ErrorPage(layout: layout).render(title: "Bad request", message: message), status: .badRequest)
        } catch UIError.notFound(let message) {
            return Self.page(ErrorPage(layout: layout).render(title: "Not found", message: message), status: .notFound)
        } catch {
            context.logger.error("web UI could not read the database", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.page(
                ErrorPage(layout: layout).render(title: "Database unavailable", message: "The database did not answer; try again shortly."),
                status: .serviceUnavailable)
        }
    }

    private func login(_ request: Request) async throws -> Response {
        guard case .token(let token) = access else { return Self.redirect("/ui/jobs") }
        var request = request
        let body = try await request.collectBody(upTo: 8 * 1024)
        let fields = LoginPage.formFields(String(buffer: body))
        let next = WebUIAccess.safeNext(fields["next"])
        guard WebUIAccess.constantTimeEquals(Array((fields["token"] ?? "").utf8), Array(token.utf8)) else {
            return Self.page(LoginPage().render(next: next, failed: true), status: .unauthorized)
        }
        var response = Self.redirect(next)
        response.headers[.setCookie] = WebUIAccess.loginCookie(token: token, secure: Self.isSecure(request))
        return response
    }

    private static func parameter<Context: RequestContext>(_ context: Context, _ name: String) throws -> Int64 {
        try UIQuery.positiveInteger(context.parameters.get(name) ?? "", name: name)
    }

    /// Behind a TLS-terminating proxy the cookie gets `Secure`.
    private static func isSecure(_ request: Request) -> Bool {
        request.headers[HTTPFields.Element.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    static func page(_ bytes: [UInt8], status: HTTPResponse.Status, contentType: String = "text/html; charset=utf-8") -> Response {
        Response(status: status, headers: securityHeaders(contentType: contentType), body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = securityHeaders(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    private static func securityHeaders(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-store"
        headers[HTTPFields.Element.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPFields.Element.Name("X-Frame-Options")!] = "DENY"
        return headers
    }
}
