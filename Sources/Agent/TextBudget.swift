/// Cuts text to a byte budget at character boundaries, keeping the head and the (usually more
/// telling) tail of logs, and saying how much was left out.
enum TextBudget {
    static func cap(_ text: String, maxBytes: Int) -> (text: String, truncated: Bool) {
        let size = text.utf8.count
        guard size > maxBytes, maxBytes > 0 else { return (text, false) }
        let headBytes = maxBytes / 4
        let tailBytes = maxBytes - headBytes
        let head = prefix(text, bytes: headBytes)
        let tail = suffix(text, bytes: tailBytes)
        let omitted = size - head.utf8.count - tail.utf8.count
        return (head + "\n[… \(omitted) of \(size) bytes omitted …]\n" + tail, true)
    }

    /// Like `cap`, but keeps whole lines (a log excerpt cut mid-line would misquote it): the
    /// first lines up to a quarter of the budget, the last ones up to the rest.
    static func capLines(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var head: [Substring] = []
        var used = 0
        for line in lines {
            if used + line.utf8.count + 1 > maxBytes / 4 { break }
            head.append(line)
            used += line.utf8.count + 1
        }
        var tail: [Substring] = []
        for line in lines[head.count...].reversed() {
            if used + line.utf8.count + 1 > maxBytes - 24 { break }
            tail.append(line)
            used += line.utf8.count + 1
        }
        let omitted = lines.count - head.count - tail.count
        return (head + ["[… \(omitted) lines omitted …]"] + tail.reversed()).joined(separator: "\n")
    }

    private static func prefix(_ text: String, bytes: Int) -> String {
        var count = 0
        var end = text.startIndex
        for index in text.indices {
            let width = text[index].utf8.count
            if count + width > bytes { break }
            count += width
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    private static func suffix(_ text: String, bytes: Int) -> String {
        var count = 0
        var start = text.endIndex
        var index = text.endIndex
        while index > text.startIndex {
            let previous = text.index(before: index)
            let width = text[previous].utf8.count
            if count + width > bytes { break }
            count += width
            start = previous
            index = previous
        }
        return String(text[start...])
    }
}
