import Foundation
import Worker

/// `/ui/groups`: failure groups, most recently seen first — one issue per fingerprint, with
/// how often the failure happened and when.
struct GroupsPage {
    static let limit = 200

    let layout: PageLayout

    func render(groups: [FailureGroup]) -> [UInt8] {
        layout.page(title: "Failure groups", section: .groups) { html in
            html.raw("<h1>Failure groups</h1>\n")
            guard !groups.isEmpty else {
                html.raw("<p class=\"empty\">No failure groups yet.</p>\n")
                return
            }
            html.raw("""
                <table class="groups"><caption class="visually-hidden">Failure groups, most recently seen first</caption>
                <thead><tr><th scope="col">Group</th><th scope="col">Title</th><th scope="col">Namespace</th>\
                <th scope="col">Issue</th><th scope="col">Occurrences</th><th scope="col">First seen</th>\
                <th scope="col">Last seen</th></tr></thead><tbody>

                """)
            for group in groups {
                html.rawComposed("<tr><td><a href=\"/ui/groups/\(group.id)\">#\(group.id)</a></td><td>")
                if let title = group.title, !title.isEmpty {
                    html.text(title)
                } else {
                    // Issues the model filed are recorded by link; the fingerprint names the group.
                    html.raw("<span class=\"muted\">fingerprint</span> <code>")
                    html.text(String(group.fingerprint.prefix(16)))
                    html.raw("</code>")
                }
                html.raw("</td><td>")
                html.text(group.namespace)
                html.raw("</td><td>")
                if let url = group.issueURL {
                    html.externalLink(url, label: group.issueNumber.map { "#\($0)" } ?? url)
                }
                html.rawComposed("</td><td class=\"num\">\(group.occurrences)</td><td>")
                html.time(group.firstSeen)
                html.raw("</td><td>")
                html.time(group.lastSeen)
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
            if groups.count == Self.limit {
                html.rawComposed("<p class=\"muted\">The \(Self.limit) most recently seen groups.</p>\n")
            }
        }
    }
}
