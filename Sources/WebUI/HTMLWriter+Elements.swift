import Foundation
import Queue

/// Small pieces several pages show the same way.
extension HTMLWriter {
    /// A job's state as a badge (the word itself, not only a colour).
    mutating func stateBadge(_ state: JobState) {
        rawComposed("<span class=\"badge state-\(state.rawValue)\">\(state.rawValue)</span>")
    }

    /// A link out of the UI (an issue). Only http and https become links: a stored
    /// `javascript:` URL would run in the UI's origin when clicked.
    mutating func externalLink(_ url: String, label: String? = nil) {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
            text(label ?? url)
            return
        }
        raw("<a href=\"")
        text(url)
        raw("\" rel=\"noopener noreferrer\">")
        text(label ?? url)
        raw("</a>")
    }

    /// A `<time>` in UTC.
    mutating func time(_ date: Date?) {
        guard let date else {
            raw("<span class=\"muted\">—</span>")
            return
        }
        let text = UIFormat.time(date)
        rawComposed("<time datetime=\"\(text.replacingOccurrences(of: " ", with: "T"))\">\(text)</time>")
    }

    /// `<dt>term</dt><dd>value</dd>` for a plain value (nothing shown when nil).
    mutating func definition(_ term: StaticString, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        raw("<dt>")
        raw(term)
        raw("</dt><dd>")
        text(value)
        raw("</dd>")
    }
}
