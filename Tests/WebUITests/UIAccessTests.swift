import Foundation
import HTTPClient
import Ingest
import Logging
import Testing
import TestSupport
@testable import WebUI

/// The UI on a real ingest server: behind the ingest token (bearer header or login cookie),
/// with its security headers; the API keeps its own token check.
@Suite struct UIAccessTests {
    static let token = "s3cret-token"

    /// An ingest server on 127.0.0.1 with the UI under /ui; stopped when released.
    final class Server: Sendable {
        let fixture: UIFixture
        let port: Int
        /// Redirects are what these tests look at: not followed.
        let client: HTTPClient = {
            var configuration = HTTPClientConfiguration()
            configuration.maxRedirects = 0
            return HTTPClient(configuration: configuration)
        }()
        private let task: Task<Void, any Error>

        init(access: WebUIAccess) async throws {
            fixture = try UIFixture()
            let ui = fixture.ui(access: access)
            let server = IngestServer(
                queue: fixture.storage.queue, configuration: IngestConfiguration(host: "127.0.0.1", port: 0, token: Self.tokenOf(access)),
                readiness: {}, additionalRoutes: { router in ui.addRoutes(to: router) })
            let bound = AsyncStream.makeStream(of: Int.self)
            var logger = Logger(label: "ui-test")
            logger.logLevel = .critical
            let app = server.application(logger: logger) { port in bound.continuation.yield(port) }
            task = Task { try await app.run() }
            var iterator = bound.stream.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestSupportError("server did not start") }
            self.port = port
        }

        deinit { task.cancel() }

        static func tokenOf(_ access: WebUIAccess) -> String? { if case .token(let token) = access { token } else { nil } }

        func send(_ path: String, method: String = "GET", headers: HTTPHeaders = [:], body: String? = nil) async throws -> HTTPResponse {
            try await client.send(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers,
                                              body: body.map { Data($0.utf8) }, timeout: .seconds(30)))
        }
    }

    @Test func withoutTheTokenABrowserIsSentToTheLoginForm() async throws {
        let server = try await Server(access: .token(Self.token))
        let response = try await server.send("/ui/jobs?state=dead")
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/ui/login?next=%2Fui%2Fjobs%3Fstate%3Ddead")
        let login = try await server.send("/ui/login?next=%2Fui%2Fjobs%3Fstate%3Ddead")
        #expect(login.status == 200 && login.text.contains(#"name="next" value="/ui/jobs?state=dead""#))
        #expect(login.text.contains(#"type="password""#))
    }

    @Test func aBearerHeaderOpensEveryPageAndAWrongOneIsRefused() async throws {
        let server = try await Server(access: .token(Self.token))
        let ids = try await server.fixture.fill()
        for path in ["/ui/jobs", "/ui/jobs/\(ids.succeeded)", "/ui/jobs/\(ids.succeeded)/attempts/1", "/ui/groups", "/ui/health"] {
            let response = try await server.send(path, headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(response.status == 200, "\(path): \(response.status)")
            #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(response.headers["Content-Security-Policy"]?.contains("script-src 'self'") == true)
            #expect(response.headers["Content-Security-Policy"]?.contains("unsafe-inline") == false)
            #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        }
        let wrong = try await server.send("/ui/jobs", headers: ["Authorization": "Bearer \(Self.token)x"])
        #expect(wrong.status == 401 && !wrong.text.contains("build-app"))
        let missing = try await server.send("/ui/jobs/999", headers: ["Authorization": "Bearer \(Self.token)"])
        #expect(missing.status == 404 && missing.text.contains("There is no job 999."))
        let bad = try await server.send("/ui/jobs/abc", headers: ["Authorization": "Bearer \(Self.token)"])
        #expect(bad.status == 400)
        // The UI does not open the API: it keeps its own bearer check.
        #expect(try await server.send("/jobs/\(ids.succeeded)").status == 401)
    }

    @Test func theLoginFormSetsAnHttpOnlyStrictCookieThatOpensThePages() async throws {
        let server = try await Server(access: .token(Self.token))
        let form: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        let refused = try await server.send("/ui/login", method: "POST", headers: form, body: "token=nope&next=%2Fui%2Fhealth")
        #expect(refused.status == 401 && refused.headers["Set-Cookie"] == nil)
        #expect(refused.text.contains("That is not the ingest token."))

        let accepted = try await server.send("/ui/login", method: "POST", headers: form, body: "token=\(Self.token)&next=%2Fui%2Fhealth")
        #expect(accepted.status == 303 && accepted.headers["Location"] == "/ui/health")
        let cookie = try #require(accepted.headers["Set-Cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/ui"))
        let pair = try #require(cookie.split(separator: ";").first.map(String.init))
        let page = try await server.send("/ui/health", headers: ["Cookie": pair])
        #expect(page.status == 200 && page.text.contains("Queue depth"))
        #expect(try await server.send("/ui/health", headers: ["Cookie": pair + "x"]).status == 303)

        // Never an open redirect.
        for next in ["https://evil.example/", "//evil.example/ui/", "/ui/..%2F%2Fevil", "/elsewhere"] {
            let response = try await server.send("/ui/login", method: "POST", headers: form,
                                                 body: "token=\(Self.token)&next=\(UIFormat.queryEncoded(next))")
            #expect(response.headers["Location"]?.hasPrefix("/ui") == true, "\(next) → \(response.headers["Location"] ?? "")")
            #expect(response.headers["Location"]?.contains("evil") != true)
        }
        let logout = try await server.send("/ui/logout", method: "POST", headers: ["Cookie": pair])
        #expect(logout.status == 303 && logout.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
    }

    @Test func staticFilesNeedNoTokenAndUnknownOnesAre404() async throws {
        let server = try await Server(access: .token(Self.token))
        let css = try await server.send("/ui/static/ui.css")
        #expect(css.status == 200 && css.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(css.text.contains("prefers-color-scheme: dark"))
        let script = try await server.send("/ui/static/ui.js")
        #expect(script.status == 200 && script.text.contains("data-refresh"))
        #expect(try await server.send("/ui/static/other.js").status == 404)
    }

    @Test func aDatabaseErrorIsA503PageWithoutItsDetails() async throws {
        let server = try await Server(access: .open)
        try await server.fixture.fill()
        let database = try #require(server.fixture.storage.sqlite)
        try await database.write { db in try db.execute("ALTER TABLE jobs RENAME TO jobs_gone") }
        for path in ["/ui/jobs", "/ui/jobs/1", "/ui/health"] {
            let response = try await server.send(path)
            #expect(response.status == 503, "\(path): \(response.status)")
            #expect(response.text.contains("The database did not answer") && !response.text.contains("no such table"))
            #expect(response.headers["Content-Security-Policy"] != nil)
        }
    }

    @Test func openAccessNeedsNoLogin() async throws {
        let server = try await Server(access: .open)
        let response = try await server.send("/ui/jobs")
        #expect(response.status == 200 && !response.text.contains("Log out"))
        #expect(try await server.send("/ui/login").headers["Location"] == "/ui/jobs")
    }
}
