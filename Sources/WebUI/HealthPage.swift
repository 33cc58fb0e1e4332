import Foundation
import Queue

/// `/ui/health`: is the queue keeping up? Depth, the oldest queued job's age, jobs by state,
/// and how many jobs arrived and finished in the last 5 minutes, hour and day.
struct HealthPage {
    /// The windows the rates are shown for.
    static let windows: [(label: String, seconds: Int)] = [("Last 5 minutes", 300), ("Last hour", 3600), ("Last 24 hours", 86_400)]

    let layout: PageLayout

    func render(stats: QueueStats, activity: [QueueActivity], now: Date) -> [UInt8] {
        layout.page(title: "Queue health", section: .health, autoRefresh: true) { html in
            html.raw("<h1>Queue health</h1>\n<dl class=\"facts big\">")
            html.rawComposed("<dt>Queue depth</dt><dd>\(stats.queueDepth) queued</dd>")
            html.rawComposed("<dt>Running</dt><dd>\(stats.counts[.running] ?? 0)</dd>")
            html.raw("<dt>Oldest queued</dt><dd>")
            if let oldest = stats.oldestQueuedAt {
                html.text(UIFormat.duration(from: oldest, to: now))
                html.raw(" old (since ")
                html.time(oldest)
                html.raw(")")
            } else {
                html.raw("nothing queued")
            }
            html.rawComposed("</dd><dt>Jobs</dt><dd>\(stats.total)</dd><dt>Reports</dt><dd>\(stats.totalReports)</dd></dl>\n")

            html.raw("<h2>Jobs by state</h2>\n<table class=\"states\"><caption class=\"visually-hidden\">Jobs by state</caption>")
            html.raw("<thead><tr><th scope=\"col\">State</th><th scope=\"col\">Jobs</th></tr></thead><tbody>")
            for state in JobState.allCases {
                html.rawComposed("<tr><td><a href=\"/ui/jobs?state=\(state.rawValue)\">")
                html.stateBadge(state)
                html.rawComposed("</a></td><td class=\"num\">\(stats.counts[state] ?? 0)</td></tr>")
            }
            html.raw("</tbody></table>\n")

            html.raw("""
                <h2>Rates</h2>
                <table class="rates"><caption class="visually-hidden">Jobs created and finished per window</caption>
                <thead><tr><th scope="col">Window</th><th scope="col">Created</th><th scope="col">Created per hour</th>\
                <th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Dead</th>\
                <th scope="col">Cancelled</th></tr></thead><tbody>

                """)
            for (window, numbers) in zip(Self.windows, activity) {
                let perHour = Double(numbers.created) * 3600 / Double(window.seconds)
                html.rawComposed("<tr><th scope=\"row\">\(window.label)</th><td class=\"num\">\(numbers.created)</td>")
                html.rawComposed("<td class=\"num\">\(String(format: "%.1f", perHour))</td>")
                for state in [JobState.succeeded, .failed, .dead, .cancelled] {
                    html.rawComposed("<td class=\"num\">\(numbers.finished[state] ?? 0)</td>")
                }
                html.raw("</tr>\n")
            }
            html.raw("</tbody></table>\n")
        }
    }
}
