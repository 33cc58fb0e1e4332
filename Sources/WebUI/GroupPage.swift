import Foundation
import Queue
import Worker

/// `/ui/groups/{id}`: one failure group — its issue, first and last seen, and its jobs over
/// time (per day, as a bar of `<meter>`s, no script or inline style needed).
struct GroupPage {
    /// Jobs read for the timeline; a group with more shows its most recent ones.
    static let jobLimit = 1000

    let layout: PageLayout

    func render(group: FailureGroup, jobs: JobPage) -> [UInt8] {
        layout.page(title: "Failure group \(group.id)", section: .groups) { html in
            html.raw("<p class=\"crumbs\"><a href=\"/ui/groups\">Failure groups</a> ›</p>\n")
            html.rawComposed("<h1>Failure group #\(group.id)</h1>\n")
            html.raw("<dl class=\"facts\">")
            html.definition("Title", group.title)
            if let url = group.issueURL {
                html.raw("<dt>Issue</dt><dd>")
                html.externalLink(url)
                html.raw("</dd>")
            } else {
                html.raw("<dt>Issue</dt><dd>none yet</dd>")
            }
            html.definition("Namespace", group.namespace)
            html.definition("Fingerprint", group.fingerprint)
            html.definition("Occurrences", String(group.occurrences))
            html.raw("<dt>First seen</dt><dd>")
            html.time(group.firstSeen)
            html.raw("</dd><dt>Last seen</dt><dd>")
            html.time(group.lastSeen)
            html.raw("</dd></dl>\n")
            timeline(&html, jobs: jobs)
        }
    }

    private func timeline(_ html: inout HTMLWriter, jobs: JobPage) {
        html.raw("<h2>Jobs by day</h2>\n")
        guard !jobs.jobs.isEmpty else {
            html.raw("<p class=\"empty\">No jobs are linked to this group (retention may have removed them).</p>\n")
            return
        }
        var days: [(day: String, jobs: [Job])] = []
        for job in jobs.jobs {  // newest first
            let day = UIFormat.day(job.createdAt)
            if days.last?.day == day { days[days.count - 1].jobs.append(job) } else { days.append((day, [job])) }
        }
        let most = days.map(\.jobs.count).max() ?? 1
        html.raw("""
            <table class="timeline"><caption class="visually-hidden">Jobs of this failure per day, newest first</caption>
            <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Jobs</th><th scope="col">Share</th>\
            <th scope="col">Job links</th></tr></thead><tbody>

            """)
        for (day, dayJobs) in days {
            html.rawComposed("<tr><td>\(day)</td><td class=\"num\">\(dayJobs.count)</td>")
            html.rawComposed("<td><meter min=\"0\" max=\"\(most)\" value=\"\(dayJobs.count)\" aria-label=\"\(dayJobs.count) jobs on \(day)\">\(dayJobs.count)</meter></td><td>")
            for (index, job) in dayJobs.prefix(20).enumerated() {
                if index > 0 { html.raw(", ") }
                html.rawComposed("<a href=\"/ui/jobs/\(job.id)\">#\(job.id)</a>")
            }
            if dayJobs.count > 20 { html.rawComposed(" and \(dayJobs.count - 20) more") }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
        if jobs.nextCursor != nil {
            html.rawComposed("<p class=\"muted\">The \(Self.jobLimit) most recent jobs.</p>\n")
        }
    }
}
