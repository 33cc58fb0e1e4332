/// The frame every page shares: head (stylesheet and the one progressive script, both
/// separate files so the Content-Security-Policy can forbid inline code), the section
/// navigation and the `<main>` landmark.
struct PageLayout {
    enum Section { case jobs, groups, health, none }

    /// Shows a log-out button (only when the UI sits behind the token).
    let signedIn: Bool

    func page(title: String, section: Section, autoRefresh: Bool = false, body: (inout HTMLWriter) -> Void) -> [UInt8] {
        var html = HTMLWriter()
        html.raw("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>
            """)
        html.text(title)
        html.raw(" · Pipeline Failure Agent</title>\n<link rel=\"stylesheet\" href=\"/ui/static/ui.css\">\n")
        html.raw("<script src=\"/ui/static/ui.js\" defer></script>\n</head>\n")
        html.raw(autoRefresh ? "<body data-refresh=\"15\">\n" : "<body>\n")
        html.raw("<header class=\"top\"><a class=\"brand\" href=\"/ui/jobs\">Pipeline Failure Agent</a>\n<nav aria-label=\"Sections\"><ul>")
        link(&html, "/ui/jobs", "Jobs", current: section == .jobs)
        link(&html, "/ui/groups", "Failure groups", current: section == .groups)
        link(&html, "/ui/health", "Queue health", current: section == .health)
        html.raw("</ul></nav>")
        if signedIn {
            html.raw("<form class=\"logout\" method=\"post\" action=\"/ui/logout\"><button type=\"submit\">Log out</button></form>")
        }
        html.raw("</header>\n<main id=\"main\">\n")
        body(&html)
        html.raw("\n</main>\n</body></html>\n")
        return html.bytes
    }

    private func link(_ html: inout HTMLWriter, _ href: StaticString, _ label: StaticString, current: Bool) {
        html.raw("<li><a href=\"")
        html.raw(href)
        html.raw(current ? "\" aria-current=\"page\">" : "\">")
        html.raw(label)
        html.raw("</a></li>")
    }
}
