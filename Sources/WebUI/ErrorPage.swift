/// What the UI shows instead of a page: a wrong parameter, a missing job, a database that did
/// not answer (its error is logged, not shown).
struct ErrorPage {
    let layout: PageLayout

    func render(title: String, message: String) -> [UInt8] {
        layout.page(title: title, section: .none) { html in
            html.raw("<h1>")
            html.text(title)
            html.raw("</h1>\n<p>")
            html.text(message)
            html.raw("</p>\n<p><a href=\"/ui/jobs\">Back to the jobs</a></p>\n")
        }
    }
}
