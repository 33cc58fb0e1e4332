import Foundation
import Queue

/// `/ui/jobs`: every job, newest first, filtered by state, namespace and text, with the
/// counts by state and paging by id cursor (stable while new jobs arrive).
struct JobsPage {
    static let pageSize = 50

    struct Filter {
        var state: JobState?
        var namespace: String?
        var text: String?
        var before: Int64?

        init(_ query: UIQuery) throws {
            if let state = query.string("state") {
                guard let parsed = JobState(rawValue: state) else {
                    throw UIError.badRequest("state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.state = parsed
            }
            namespace = query.string("namespace")
            text = query.string("q")
            before = try query.positiveInteger("before")
        }

        /// This filter's link with `state` (and no cursor: a new filter starts at the first page).
        func href(state: JobState?, before: Int64? = nil) -> String {
            var items: [(String, String)] = []
            if let state { items.append(("state", state.rawValue)) }
            if let namespace { items.append(("namespace", namespace)) }
            if let text { items.append(("q", text)) }
            if let before { items.append(("before", String(before))) }
            guard !items.isEmpty else { return "/ui/jobs" }
            return "/ui/jobs?" + items.map { "\($0)=\(UIFormat.queryEncoded($1))" }.joined(separator: "&")
        }
    }

    let layout: PageLayout

    func render(filter: Filter, page: JobPage, stats: QueueStats) -> [UInt8] {
        layout.page(title: "Jobs", section: .jobs, autoRefresh: filter.before == nil) { html in
            html.raw("<h1>Jobs</h1>\n")
            counts(&html, filter: filter, stats: stats)
            form(&html, filter: filter)
            table(&html, page: page, filter: filter)
        }
    }

    private func counts(_ html: inout HTMLWriter, filter: Filter, stats: QueueStats) {
        html.raw("<nav aria-label=\"Jobs by state\"><ul class=\"counts\">")
        html.raw("<li><a href=\"")
        html.text(filter.href(state: nil))
        html.raw(filter.state == nil ? "\" aria-current=\"page\">" : "\">")
        html.rawComposed("all <strong>\(stats.total)</strong></a></li>")
        for state in JobState.allCases {
            html.raw("<li><a href=\"")
            html.text(filter.href(state: state))
            html.raw(filter.state == state ? "\" aria-current=\"page\">" : "\">")
            html.stateBadge(state)
            html.rawComposed(" <strong>\(stats.counts[state] ?? 0)</strong></a></li>")
        }
        html.raw("</ul></nav>\n")
    }

    private func form(_ html: inout HTMLWriter, filter: Filter) {
        html.raw("<form class=\"filters\" method=\"get\" action=\"/ui/jobs\" role=\"search\">")
        html.raw("<label for=\"f-state\">State</label><select id=\"f-state\" name=\"state\"><option value=\"\">any</option>")
        for state in JobState.allCases {
            html.rawComposed(filter.state == state ? "<option selected>" : "<option>")
            html.rawComposed(state.rawValue + "</option>")
        }
        html.raw("</select>")
        html.raw("<label for=\"f-namespace\">Namespace</label><input id=\"f-namespace\" name=\"namespace\" value=\"")
        html.text(filter.namespace ?? "")
        html.raw("\"><label for=\"f-q\">Text</label><input id=\"f-q\" name=\"q\" type=\"search\" placeholder=\"pod, task, error, fingerprint\" value=\"")
        html.text(filter.text ?? "")
        html.raw("\"><button type=\"submit\">Filter</button></form>\n")
    }

    private func table(_ html: inout HTMLWriter, page: JobPage, filter: Filter) {
        guard !page.jobs.isEmpty else {
            html.raw("<p class=\"empty\">No jobs match.</p>\n")
            pager(&html, page: page, filter: filter)
            return
        }
        html.raw("""
            <table class="jobs"><caption class="visually-hidden">Jobs, newest first</caption>
            <thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col">Namespace / pod</th>\
            <th scope="col">Container</th><th scope="col">Attempts</th><th scope="col">Created</th>\
            <th scope="col">Last error</th></tr></thead><tbody>

            """)
        for job in page.jobs {
            html.rawComposed("<tr><td><a href=\"/ui/jobs/\(job.id)\">#\(job.id)</a></td><td>")
            html.stateBadge(job.state)
            html.raw("</td><td>")
            html.text(job.namespace)
            html.raw("/<wbr>")
            html.text(job.pod)
            html.raw("</td><td>")
            html.text(job.container ?? "")
            html.rawComposed("</td><td class=\"num\">\(job.attempts)/\(job.maxAttempts)</td><td>")
            html.time(job.createdAt)
            html.raw("</td><td class=\"error\">")
            html.text(job.lastError.map { UIFormat.preview($0) } ?? "")
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
        pager(&html, page: page, filter: filter)
    }

    private func pager(_ html: inout HTMLWriter, page: JobPage, filter: Filter) {
        guard filter.before != nil || page.nextCursor != nil else { return }
        html.raw("<nav aria-label=\"Pages\" class=\"pager\">")
        if filter.before != nil {
            html.raw("<a href=\"")
            html.text(filter.href(state: filter.state))
            html.raw("\">← Newest</a>")
        }
        if let next = page.nextCursor {
            html.raw("<a rel=\"next\" href=\"")
            html.text(filter.href(state: filter.state, before: next))
            html.raw("\">Older →</a>")
        }
        html.raw("</nav>\n")
    }
}
