import Foundation

/// An issue written as the model's final text: the first line is the title, the rest the body.
/// A fence around the whole answer (```` ```markdown ````) is taken off first, and a leading
/// `Title:` or Markdown heading mark is not part of the title.
public struct IssueText: Sendable, Equatable {
    public var title: String
    public var body: String

    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }

    public static func parse(_ text: String) -> IssueText {
        var lines = unfenced(text.trimmingCharacters(in: .whitespacesAndNewlines)).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        guard let first = lines.first else { return IssueText(title: "", body: "") }
        var title = first.trimmingCharacters(in: CharacterSet(charactersIn: "#* \t"))
        for label in ["title:", "**title:**"] where title.lowercased().hasPrefix(label) {
            title = String(title.dropFirst(label.count)).trimmingCharacters(in: CharacterSet(charactersIn: "* \t"))
        }
        // A title that is a section heading is no title: the whole text is the body.
        if title.lowercased().hasPrefix("cluster/namespace") || title.lowercased().hasPrefix("summary") {
            return IssueText(title: "", body: lines.joined(separator: "\n"))
        }
        var rest = Array(lines.dropFirst())
        if let next = rest.first, next.trimmingCharacters(in: .whitespaces).lowercased() == "body:" { rest.removeFirst() }
        return IssueText(title: title, body: rest.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The text inside a fence that encloses all of it, else the text.
    static func unfenced(_ text: String) -> String {
        guard text.hasPrefix("```"), text.hasSuffix("```"), text.count > 6,
              let firstBreak = text.firstIndex(of: "\n") else { return text }
        let inner = text[text.index(after: firstBreak)..<text.index(text.endIndex, offsetBy: -3)]
        // A fence opened inside (a quoted log) would make this two blocks, not one around all.
        let fences = inner.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }.count
        return fences % 2 == 0 ? String(inner).trimmingCharacters(in: .whitespacesAndNewlines) : text
    }
}
