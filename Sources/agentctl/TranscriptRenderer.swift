import Agent
import Foundation
import LLMClient

/// Prints a transcript for a person: one block per entry, roles told apart (in colour only
/// on a terminal), tool arguments as indented JSON, long results folded with their size.
struct TranscriptRenderer {
    var colours: Bool
    /// Results longer than this many lines show their head and tail only.
    var foldLines = 40

    static var forStandardOutput: TranscriptRenderer {
        TranscriptRenderer(colours: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    func render(_ entries: [TranscriptEntry]) -> String {
        var asked: [String: String] = [:]
        return entries.map { entry in
            defer { for call in entry.toolCalls { asked[call.id] = call.arguments } }
            return render(entry, askedArguments: entry.toolCallID.flatMap { asked[$0] })
        }.joined(separator: "\n")
    }

    /// `askedArguments`: what the model asked for, so a tool entry shows its arguments only
    /// when the policy changed them (e.g. the forced repository).
    func render(_ entry: TranscriptEntry, askedArguments: String? = nil) -> String {
        var header = "[\(entry.seq)] \(entry.role.rawValue.uppercased())"
        var details: [String] = []
        if let name = entry.toolName { details.append("\(name)" + (entry.toolCallID.map { " (\($0))" } ?? "")) }
        if let model = entry.model { details.append(model) }
        if entry.tokensIn != nil || entry.tokensOut != nil {
            details.append("tokens \(entry.tokensIn ?? 0) in / \(entry.tokensOut ?? 0) out")
        }
        if let latency = entry.latencyMilliseconds { details.append(String(format: "%.2fs", Double(latency) / 1000)) }
        details.append(entry.createdAt.formatted(.iso8601.time(includingFractionalSeconds: false)))
        header += "  " + details.joined(separator: " · ")
        var lines = [paint(header, role: entry.role)]
        if entry.role == .tool, let arguments = entry.toolArguments,
           askedArguments.map({ pretty($0) != pretty(arguments) }) ?? true {
            lines.append(indent("sent as: " + pretty(arguments)))
        }
        if let content = entry.content, !content.isEmpty {
            lines.append(indent(entry.role == .tool ? fold(content, full: entry.toolResult) : content))
        }
        for call in entry.toolCalls {
            lines.append(indent(paint("→ \(call.name)", role: .tool) + " (\(call.id)) " + pretty(call.arguments)))
        }
        return lines.joined(separator: "\n")
    }

    /// Long results keep their head and tail; the size says what the model got and what was stored.
    private func fold(_ text: String, full: String?) -> String {
        var sizeNote = "\(text.utf8.count) bytes"
        if let full { sizeNote += " sent to the model, \(full.utf8.count) bytes stored" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > foldLines else { return text + dim("\n(\(sizeNote))") }
        let head = lines.prefix(foldLines / 2)
        let tail = lines.suffix(foldLines / 4)
        let hidden = lines.count - head.count - tail.count
        return (head + [Substring(dim("… \(hidden) more lines folded (\(sizeNote), \(lines.count) lines) …"))] + tail)
            .joined(separator: "\n")
    }

    private func pretty(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    private func paint(_ text: String, role: ChatMessage.Role) -> String {
        guard colours else { return text }
        let code = switch role {
        case .system: "2"
        case .user: "34"
        case .assistant: "32"
        case .tool: "33"
        }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }

    private func dim(_ text: String) -> String { colours ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}
