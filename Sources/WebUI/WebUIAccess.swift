import Foundation
import Hummingbird

/// Who may read the UI.
public enum WebUIAccess: Sendable, Equatable {
    /// Whoever sends the ingest token: as a bearer header (scripts) or in the HttpOnly cookie
    /// the login form sets (browsers).
    case token(String)
    /// Everyone who can reach the listener: only for a port bound to loopback (reached
    /// through `kubectl port-forward`), or an ingest without a token, whose API is open too.
    case open

    static let cookieName = "agent_ui_token"

    /// Whether `request` carries the token, compared in constant time.
    func admits(_ request: Request) -> Bool {
        guard case .token(let token) = self else { return true }
        let expected = Array(token.utf8)
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return Self.constantTimeEquals(Array(header.utf8.dropFirst(7)), expected)
        }
        guard let cookie = request.cookies[Self.cookieName]?.value.removingPercentEncoding else { return false }
        return Self.constantTimeEquals(Array(cookie.utf8), expected)
    }

    /// Compares without an early exit, so timing does not reveal how much of a guess was right.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    /// The login cookie: readable by the server only (HttpOnly), never sent by another site's
    /// page (SameSite=Strict), limited to `/ui`, for 12 hours; `Secure` behind a TLS proxy.
    static func loginCookie(token: String, secure: Bool) -> String {
        "\(cookieName)=\(UIFormat.queryEncoded(token)); Path=/ui; Max-Age=43200; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func logoutCookie(secure: Bool) -> String {
        "\(cookieName)=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Where to go after logging in: a UI path only (an absolute or `//host` URL would make
    /// the login form an open redirect; no `..` either).
    static func safeNext(_ next: String?) -> String {
        guard let next, next == "/ui" || next.hasPrefix("/ui/"), !next.contains("//"), !next.contains("\\"), !next.contains(".."),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return "/ui/jobs" }
        return next
    }
}
