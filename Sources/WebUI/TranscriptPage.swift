import Agent
import Foundation
import Queue

/// `/ui/jobs/{id}/attempts/{n}`: one attempt's conversation — system and user prompts (the
/// excerpt with its line numbers), the model's answers with the tool calls they asked for,
/// and the tool results, folded when long; tokens and latency per step.
struct TranscriptPage {
    /// Longer texts start folded (the prompt's excerpt stays open: it is what a reviewer reads first).
    static let foldLines = 15
    static let foldBytes = 2000

    let layout: PageLayout

    func render(job: Job, attempt: Int, record: AttemptRecord?, entries: [TranscriptEntry], attempts: [Int]) -> [UInt8] {
        layout.page(title: "Job \(job.id) attempt \(attempt)", section: .jobs) { html in
            html.rawComposed("<p class=\"crumbs\"><a href=\"/ui/jobs\">Jobs</a> › <a href=\"/ui/jobs/\(job.id)\">Job #\(job.id)</a> ›</p>\n")
            html.rawComposed("<h1>Job #\(job.id), attempt \(attempt)</h1>\n")
            summary(&html, job: job, record: record, entries: entries)
            attemptLinks(&html, job: job, attempt: attempt, attempts: attempts)
            html.raw("<ol class=\"transcript\">\n")
            for entry in entries { step(&html, entry) }
            html.raw("</ol>\n")
        }
    }

    private func summary(_ html: inout HTMLWriter, job: Job, record: AttemptRecord?, entries: [TranscriptEntry]) {
        let tokensIn = entries.reduce(0) { $0 + ($1.tokensIn ?? 0) }
        let tokensOut = entries.reduce(0) { $0 + ($1.tokensOut ?? 0) }
        let latency = entries.reduce(0) { $0 + ($1.latencyMilliseconds ?? 0) }
        html.raw("<dl class=\"facts\">")
        html.definition("Pod", "\(job.namespace)/\(job.pod)" + (job.container.map { " (\($0))" } ?? ""))
        html.definition("Outcome", record.map { $0.outcome ?? "running" })
        html.definition("Error class", record?.errorClass)
        html.definition("Worker", record?.worker)
        html.definition("Steps", String(entries.count))
        html.definition("Tokens in / out", "\(tokensIn) / \(tokensOut)")
        html.definition("Model latency", UIFormat.duration(milliseconds: Int64(latency)))
        html.definition("Attempt latency", record?.latencyMilliseconds.map { UIFormat.duration(milliseconds: $0) })
        html.raw("</dl>\n")
        if let error = record?.error {
            html.raw("<p class=\"error-text\"><strong>Error:</strong> ")
            html.text(error)
            html.raw("</p>\n")
        }
    }

    private func attemptLinks(_ html: inout HTMLWriter, job: Job, attempt: Int, attempts: [Int]) {
        guard attempts.count > 1 else { return }
        html.raw("<nav aria-label=\"Attempts\" class=\"pager\"><ul>")
        for other in attempts {
            html.rawComposed(other == attempt
                ? "<li><a href=\"/ui/jobs/\(job.id)/attempts/\(other)\" aria-current=\"page\">Attempt \(other)</a></li>"
                : "<li><a href=\"/ui/jobs/\(job.id)/attempts/\(other)\">Attempt \(other)</a></li>")
        }
        html.raw("</ul></nav>\n")
    }

    private func step(_ html: inout HTMLWriter, _ entry: TranscriptEntry) {
        let role = entry.role.rawValue
        html.rawComposed("<li class=\"step role-\(role)\" id=\"step-\(entry.seq)\">")
        html.rawComposed("<h2><a href=\"#step-\(entry.seq)\">#\(entry.seq)</a> \(role)")
        if let tool = entry.toolName {
            html.raw(" <code>")
            html.text(tool)
            html.raw("</code>")
        }
        html.raw("</h2>\n")
        meta(&html, entry)
        if entry.role == .tool, let arguments = entry.toolArguments {
            html.raw("<details class=\"arguments\"><summary>Arguments</summary><pre class=\"json\">")
            html.text(UIFormat.prettyJSON(arguments))
            html.raw("</pre></details>\n")
        }
        if let content = entry.content, !content.isEmpty {
            let label: StaticString = entry.role == .tool ? "Result as the model saw it" : "Message"
            block(&html, content, label: label, open: entry.role == .user || entry.role == .assistant)
        }
        if let full = entry.toolResult, full != entry.content {
            block(&html, full, label: "Full result", open: false)
        }
        if !entry.toolCalls.isEmpty {
            html.raw("<ul class=\"calls\">")
            for call in entry.toolCalls {
                html.raw("<li>Calls <code>")
                html.text(call.name)
                html.raw("</code>")
                if !call.id.isEmpty {
                    html.raw(" <span class=\"muted\">(")
                    html.text(call.id)
                    html.raw(")</span>")
                }
                html.raw("<pre class=\"json\">")
                html.text(UIFormat.prettyJSON(call.arguments))
                html.raw("</pre></li>")
            }
            html.raw("</ul>\n")
        }
        html.raw("</li>\n")
    }

    private func meta(_ html: inout HTMLWriter, _ entry: TranscriptEntry) {
        html.raw("<p class=\"meta\">")
        html.time(entry.createdAt)
        if let model = entry.model {
            html.raw(" · model ")
            html.text(model)
        }
        if entry.tokensIn != nil || entry.tokensOut != nil {
            html.rawComposed(" · \(entry.tokensIn ?? 0) tokens in, \(entry.tokensOut ?? 0) out")
        }
        if let latency = entry.latencyMilliseconds {
            html.rawComposed(" · \(UIFormat.duration(milliseconds: Int64(latency)))")
        }
        if let call = entry.toolCallID {
            html.raw(" · answers ")
            html.text(call)
        }
        html.raw("</p>\n")
    }

    /// A text in a `<pre>`, inside a `<details>` when long (folding works without script).
    private func block(_ html: inout HTMLWriter, _ text: String, label: StaticString, open: Bool) {
        var lines = 1
        var copy = text
        copy.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            for index in 0..<utf8.count where base[index] == 0x0A { lines += 1 }  // "\n"
        }
        guard lines > Self.foldLines || text.utf8.count > Self.foldBytes else {
            html.raw("<pre class=\"content\">")
            html.annotated(text)
            html.raw("</pre>\n")
            return
        }
        html.raw(open ? "<details class=\"fold\" open><summary>" : "<details class=\"fold\"><summary>")
        html.raw(label)
        html.rawComposed(" (\(lines) lines)</summary><pre class=\"content\">")
        html.annotated(text)
        html.raw("</pre></details>\n")
    }
}
