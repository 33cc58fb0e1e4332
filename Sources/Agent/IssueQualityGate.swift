import Foundation

/// What an issue must be before anything is filed, whoever wrote it: a one-line prose title
/// that is not the template's; the four sections; a detailed error quoting at least one line
/// of the evidence; no pod or namespace but the analysed one. Small models copy the prompt's
/// template, answer in code fences or write JSON that imitates a tool call; each of those
/// fails here instead of becoming an issue.
public struct IssueQualityGate: Sendable {
    public let pod: PodContext
    /// The evidence lines, whitespace collapsed: the excerpt and what the tools returned.
    private var evidence: [String] = []

    /// A quoted line must be at least this long to count: `FAIL` or `exit 1` alone is in
    /// every log.
    static let minimumQuoteLength = 12

    public init(pod: PodContext, evidence: String = "") {
        self.pod = pod
        add(evidence: evidence)
    }

    public mutating func add(evidence text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let normalized = Self.normalize(Self.withoutLineNumber(Substring(line)))
            if normalized.count >= Self.minimumQuoteLength { evidence.append(normalized) }
        }
    }

    /// Every problem found; empty when the issue may be filed. `requiresTitle` false lets a
    /// final text without a title line pass: the worker titles it from the failure's key line.
    public func problems(title: String, body: String, requiresTitle: Bool = true) -> [String] {
        var problems: [String] = []
        if requiresTitle || !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems += titleProblems(title) }
        problems += bodyProblems(body)
        if let copied = AgentPrompt.placeholders.first(where: { title.contains($0) || body.contains($0) }) {
            problems.append("it copies the template's placeholder \(copied); write about this failure instead")
        }
        let named = Self.foreignNames(in: title + "\n" + body, pod: pod)
        if !named.isEmpty {
            problems.append("it names \(named.joined(separator: ", ")), but the failed pod is \(pod.pod) in namespace \(pod.namespace)")
        }
        return problems
    }

    /// The gate for a create call's JSON arguments; title and body are judged after `redact`,
    /// as they would be filed.
    public func problems(arguments: String, redact: (String) -> String = { $0 }) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(arguments.utf8))) as? [String: Any] else {
            return ["the arguments are not a JSON object"]
        }
        return problems(title: redact(object["title"] as? String ?? ""), body: redact(object["body"] as? String ?? ""))
    }

    private func titleProblems(_ raw: String) -> [String] {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { return ["the title is empty"] }
        var problems: [String] = []
        if title.contains("\n") { problems.append("the title must be one line") }
        if title.contains("```") { problems.append("the title is a code fence, not a sentence") }
        if title.hasPrefix("{") || title.hasPrefix("[") || title.contains("\"name\"") || title.contains("\"arguments\"") {
            problems.append("the title is JSON, not a sentence")
        }
        if title.filter(\.isLetter).count < 8 { problems.append("the title must say in words what failed") }
        if title.lowercased().hasPrefix("title:") { problems.append("the title repeats the word Title:") }
        return problems
    }

    private func bodyProblems(_ body: String) -> [String] {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("```json") {
            return ["the body is JSON, not the Markdown issue text"]
        }
        var problems: [String] = []
        let headings = Self.headings(body)
        let missing = AgentPrompt.sections.filter { section in !headings.contains { $0.contains(Self.sectionKey(section)) } }
        if !missing.isEmpty { problems.append("the body lacks the section(s) \(missing.map { "## \($0)" }.joined(separator: ", "))") }
        if !evidence.isEmpty, !missing.contains("Detailed error") {
            let quoted = Self.section(body, named: "Detailed error")
            if !quotesEvidence(quoted) {
                problems.append("the Detailed error section quotes no line of the evidence; copy at least one log line exactly")
            }
        }
        return problems
    }

    /// True when a line of `text` (at least `minimumQuoteLength` long, line-number prefix,
    /// quote and list marks off) occurs within a line of the evidence.
    func quotesEvidence(_ text: String) -> Bool {
        for line in text.split(whereSeparator: \.isNewline) {
            var candidate = Substring(line).drop { $0 == " " || $0 == "\t" || $0 == ">" }
            if candidate.hasPrefix("```") { continue }
            if candidate.hasPrefix("- ") || candidate.hasPrefix("* ") { candidate = candidate.dropFirst(2) }
            let normalized = Self.normalize(Self.withoutLineNumber(candidate))
                .trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            guard normalized.count >= Self.minimumQuoteLength else { continue }
            if evidence.contains(where: { $0.contains(normalized) }) { return true }
        }
        return false
    }

    /// `L123: ` or `L123 x5: ` as the excerpt numbers its lines; `123: ` or `123 | ` as a model may.
    /// Scanned by hand: it runs on every line of the evidence, and a regex literal here was
    /// parsed and compiled again on every call (14 % of the worker benchmark's CPU).
    static func withoutLineNumber(_ line: Substring) -> Substring {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        var rest = trimmed.utf8[...]
        if rest.first == UInt8(ascii: "L") { rest = rest.dropFirst() }
        guard let number = afterDigits(rest) else { return trimmed }
        rest = number
        if rest.starts(with: " x".utf8), let count = afterDigits(rest.dropFirst(2)) { rest = count }
        for separator in [": ", " | "] where rest.starts(with: separator.utf8) {
            return Substring(rest.dropFirst(separator.utf8.count))
        }
        return trimmed
    }

    /// `text` after its leading ASCII digits; nil when it does not start with one.
    private static func afterDigits(_ text: Substring.UTF8View) -> Substring.UTF8View? {
        let rest = text.drop { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return rest.startIndex == text.startIndex ? nil : rest
    }

    static func normalize(_ text: Substring) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private static func sectionKey(_ section: String) -> String {
        switch section {
        case "Cluster/namespace location": "location"
        case "Possible causes and solutions": "possible cause"
        default: section.lowercased()
        }
    }

    private static func headings(_ body: String) -> [String] {
        body.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("#") || ($0.hasPrefix("**") && $0.hasSuffix("**")) }.map { $0.lowercased() }
    }

    /// The lines under the heading that contains `name`, up to the next heading.
    static func section(_ body: String, named name: String) -> String {
        let key = sectionKey(name)
        var inside = false
        var lines: [Substring] = []
        for line in body.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || (trimmed.hasPrefix("**") && trimmed.hasSuffix("**") && trimmed.count > 4) {
                if inside { break }
                inside = trimmed.lowercased().contains(key)
                continue
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// Words that follow "Pod:" in prose, not names.
    static let proseWords: Set<String> = ["the", "a", "an", "not", "none", "unknown", "n", "is", "was", "this", "its"]

    /// Pods and namespaces the text names that are not the analysed ones: a name after the
    /// word pod or namespace (quoted, after a colon, or shaped like a generated name) and any
    /// Tekton pod name (`…-pod`).
    static func foreignNames(in text: String, pod: PodContext) -> [String] {
        let ownPods = Set([pod.pod, pod.pipelineRun, pod.task, pod.container].compactMap { $0?.lowercased() })
        var found: [String] = []
        func note(_ name: String) {
            let name = name.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
            if !name.isEmpty, !found.contains(name) { found.append(name) }
        }
        for match in text.matches(of: /(?i)\b(pod|namespace)\b(\s+name)?\s*(:|=)?\s*([`"]?)([a-z0-9][a-z0-9.-]*)([`"]?)/) {
            let kind = match.1.lowercased()
            let name = String(match.5).lowercased()
            let quoted = !match.4.isEmpty && match.4 == match.6
            let labelled = match.3 != nil && !Self.proseWords.contains(name)
            let generated = name.contains("-") || name.contains { $0.isNumber }
            guard quoted || labelled || generated else { continue }
            if kind == "namespace" {
                if name != pod.namespace.lowercased() { note("namespace \(name)") }
            } else if !ownPods.contains(name) {
                note("pod \(name)")
            }
        }
        for match in text.matches(of: /(?i)\b[a-z0-9][a-z0-9.-]*-pod\b/) {
            let name = String(match.0).lowercased()
            if !ownPods.contains(name), !found.contains("pod \(name)") { note("pod \(name)") }
        }
        return found
    }
}
