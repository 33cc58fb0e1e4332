import Agent
import Foundation
import Queue

/// `/ui/jobs/{id}`: one job — where it failed, its issue, its last error and result, and its
/// attempts with outcome, error class, latency and the tokens of their transcripts.
struct JobDetailPage {
    let layout: PageLayout

    func render(job: Job, attempts: [AttemptRecord], transcripts: [TranscriptSummary]) -> [UInt8] {
        let summaries = Dictionary(transcripts.map { ($0.attempt, $0) }, uniquingKeysWith: { first, _ in first })
        return layout.page(title: "Job \(job.id)", section: .jobs) { html in
            html.raw("<p class=\"crumbs\"><a href=\"/ui/jobs\">Jobs</a> ›</p>\n")
            html.rawComposed("<h1>Job #\(job.id) ")
            html.stateBadge(job.state)
            html.raw("</h1>\n")
            issue(&html, job: job)
            details(&html, job: job)
            if let error = job.lastError {
                html.raw("<h2>Last error</h2>\n<pre class=\"error-text\">")
                html.annotated(error)
                html.raw("</pre>\n")
            }
            attemptTable(&html, job: job, attempts: attempts, summaries: summaries)
            if let result = job.result {
                html.raw("<h2>Result</h2>\n<pre class=\"json\">")
                html.text(UIFormat.prettyJSON(result))
                html.raw("</pre>\n")
            }
        }
    }

    private func issue(_ html: inout HTMLWriter, job: Job) {
        guard let url = UIFormat.jsonString(job.result, key: "issue_url") else { return }
        html.raw("<p class=\"issue\">Issue: ")
        html.externalLink(url)
        html.raw("</p>\n")
    }

    private func details(_ html: inout HTMLWriter, job: Job) {
        html.raw("<h2>Pod</h2>\n<dl class=\"facts\">")
        html.definition("Namespace", job.namespace)
        html.definition("Pod", job.pod)
        html.definition("Container", job.container)
        html.definition("PipelineRun", job.pipelineRun)
        html.definition("Task", job.task)
        html.definition("Source", job.source.rawValue)
        html.definition("Reports", String(job.reportCount))
        html.definition("Attempts", "\(job.attempts) of \(job.maxAttempts)")
        html.raw("<dt>Created</dt><dd>")
        html.time(job.createdAt)
        html.raw("</dd><dt>Updated</dt><dd>")
        html.time(job.updatedAt)
        html.raw("</dd>")
        if let finished = job.finishedAt {
            html.raw("<dt>Finished</dt><dd>")
            html.time(finished)
            html.raw("</dd>")
        }
        if job.state == .queued {
            html.raw("<dt>Due</dt><dd>")
            html.time(job.runAfter)
            html.raw("</dd>")
        }
        html.definition("Lease owner", job.leaseOwner)
        if let expires = job.leaseExpiresAt {
            html.raw("<dt>Lease expires</dt><dd>")
            html.time(expires)
            html.raw("</dd>")
        }
        html.definition("Re-run from attempt", job.rerunAttempt.map(String.init))
        html.definition("Fingerprint", job.fingerprint)
        if let group = job.groupID {
            html.rawComposed("<dt>Failure group</dt><dd><a href=\"/ui/groups/\(group)\">#\(group)</a></dd>")
        }
        html.raw("</dl>\n")
    }

    private func attemptTable(_ html: inout HTMLWriter, job: Job, attempts: [AttemptRecord], summaries: [Int: TranscriptSummary]) {
        html.raw("<h2>Attempts</h2>\n")
        // Attempts with a transcript but no row (none today) still get their link.
        let numbers = Set(attempts.map(\.attempt)).union(summaries.keys).sorted()
        guard !numbers.isEmpty else {
            html.raw("<p class=\"empty\">Not tried yet.</p>\n")
            return
        }
        let records = Dictionary(attempts.map { ($0.attempt, $0) }, uniquingKeysWith: { first, _ in first })
        html.raw("""
            <table class="attempts"><caption class="visually-hidden">Attempts, oldest first</caption>
            <thead><tr><th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">Error class</th>\
            <th scope="col">Worker</th><th scope="col">Started</th><th scope="col">Latency</th>\
            <th scope="col">Steps</th><th scope="col">Tokens in / out</th><th scope="col">Error</th></tr></thead><tbody>

            """)
        for number in numbers {
            let record = records[number]
            let summary = summaries[number]
            html.raw("<tr><td>")
            if summary != nil {
                html.rawComposed("<a href=\"/ui/jobs/\(job.id)/attempts/\(number)\">Attempt \(number)</a>")
            } else {
                html.rawComposed("Attempt \(number)")
            }
            html.raw("</td><td>")
            html.text(record.map { $0.outcome ?? "running" } ?? "—")
            html.raw("</td><td>")
            html.text(record?.errorClass ?? "")
            html.raw("</td><td>")
            html.text(record?.worker ?? "")
            html.raw("</td><td>")
            html.time(record?.startedAt)
            html.raw("</td><td class=\"num\">")
            html.text(record?.latencyMilliseconds.map { UIFormat.duration(milliseconds: $0) } ?? "")
            html.raw("</td><td class=\"num\">")
            html.text(summary.map { String($0.steps) } ?? "")
            html.raw("</td><td class=\"num\">")
            html.text(summary.map { "\($0.tokensIn) / \($0.tokensOut)" } ?? "")
            html.raw("</td><td class=\"error\">")
            html.text(record?.error.map { UIFormat.preview($0) } ?? "")
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
    }
}
