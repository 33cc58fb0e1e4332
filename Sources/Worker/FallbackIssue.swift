import Agent
import Foundation

/// The issue the worker files when the model's answer cannot be used (it failed the quality
/// gates twice, the model ran out of turns or tokens, the prompt never fit its window): built
/// from the evidence alone, so a human still gets a correct issue that quotes the failure.
enum FallbackIssue {
    static func draft(_ context: FailureContext, reason: String) -> (title: String, body: String) {
        let reason = publicReason(reason)
        let job = context.job
        let scope = job.task ?? job.pipelineRun ?? job.pod
        let keyLines = context.keyLines.isEmpty ? lastLines(of: context.excerpt) : Array(context.keyLines.prefix(5))
        var title: String
        if let key = keyLines.first?.trimmingCharacters(in: .whitespaces), !key.isEmpty {
            title = "\(scope): \(key)"
        } else {
            title = "Pipeline failure in \(job.namespace)/\(job.pod)"
        }
        title = title.replacingOccurrences(of: "`", with: "'")
        if title.count > 120 { title = String(title.prefix(117)) + "…" }

        var place = ["Namespace `\(job.namespace)`", "pod `\(job.pod)`"]
        if let container = context.container { place.append("container `\(container)`") }
        if let run = job.pipelineRun { place.append("PipelineRun `\(run)`") }
        if let task = job.task { place.append("task `\(task)`") }
        let quoted = keyLines.map { $0.replacingOccurrences(of: "```", with: "'''") }
        let excerpt = context.excerpt.trimmingCharacters(in: .newlines).replacingOccurrences(of: "```", with: "'''")
        // The whole excerpt too, folded: the lines around the key lines often name the cause.
        let folded = excerpt.isEmpty ? "" : """


            <details><summary>Log excerpt</summary>

            ```
            \(excerpt)
            ```
            </details>
            """
        let body = """
            ## Cluster/namespace location
            \(place.joined(separator: ", ")).

            ## Summary
            automatic analysis unavailable: \(reason)

            ## Detailed error
            ```
            \(quoted.isEmpty ? "(no failure line found in the log)" : quoted.joined(separator: "\n"))
            ```\(folded)

            ## Possible causes and solutions
            Not analysed automatically. Read the lines above and the step's full log: \
            `kubectl logs -n \(job.namespace) \(job.pod)\(context.container.map { " -c \($0)" } ?? "")`.
            """
        return (title, body)
    }

    /// The reason as the issue states it: what the model copied (a template placeholder, the
    /// name of a call it made up, often the template's title) is named, not repeated.
    static func publicReason(_ reason: String) -> String {
        var text = reason
        for placeholder in AgentPrompt.placeholders {
            text = text.replacingOccurrences(of: placeholder, with: "(a placeholder of the template)")
        }
        text = text.replacing(#/no tool named [^;]*; the tools are [^;]*/#, with: "a call to a tool that does not exist")
        return text
    }

    /// Without key lines, the excerpt's last few lines (numbers off), where a log usually fails.
    private static func lastLines(of excerpt: String) -> [String] {
        excerpt.split(whereSeparator: \.isNewline).suffix(5).map { line in
            let text = Substring(line)
            if let match = text.prefixMatch(of: #/L\d+( x\d+)?: /#) { return String(text[match.range.upperBound...]) }
            return String(text)
        }
    }
}
