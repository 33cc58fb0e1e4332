import Foundation

/// `/ui/login`: one password field for the ingest token. Posting it sets the login cookie.
struct LoginPage {
    func render(next: String, failed: Bool) -> [UInt8] {
        PageLayout(signedIn: false).page(title: "Log in", section: .none) { html in
            html.raw("<h1>Log in</h1>\n")
            if failed {
                html.raw("<p class=\"error-text\" role=\"alert\">That is not the ingest token.</p>\n")
            }
            html.raw("""
                <form class="login" method="post" action="/ui/login">
                <p>The web UI uses the ingest token (<code>AGENT_INGEST_TOKEN</code>).</p>
                <label for="token">Ingest token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
                <input type="hidden" name="next" value="
                """)
            html.text(next)
            html.raw("\">\n<button type=\"submit\">Log in</button>\n</form>\n")
        }
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = parts.first.flatMap(decode) else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }
}
