/// Stored texts shown with what the analysis put into them made visible: redaction markers
/// (`[REDACTED:kind]`, written by the redactor in place of a secret) stand out as such, and
/// excerpt lines (`L123: …`, or `L123 x4: …` for a line repeated four times) get their line
/// number in a column of its own. Everything else is escaped text. Works on UTF-8 bytes: a
/// 200-step transcript is megabytes of tool results.
extension HTMLWriter {
    /// `value` as the content of a `<pre>`.
    mutating func annotated(_ value: String) {
        var value = value
        value.withUTF8 { text in
            guard let base = text.baseAddress else { return }
            let count = text.count
            var lineStart = 0
            while true {
                var lineEnd = lineStart
                while lineEnd < count && base[lineEnd] != 0x0A { lineEnd += 1 }
                var bodyStart = lineStart
                if let (labelEnd, body) = Self.excerptLabel(text, lineStart, lineEnd) {
                    raw("<span class=\"ln\">")
                    appendEscaped(text, lineStart, labelEnd)
                    raw("</span>")
                    bodyStart = body
                }
                appendMarkingRedactions(text, bodyStart, lineEnd)
                guard lineEnd < count else { break }
                raw("\n")
                lineStart = lineEnd + 1
            }
        }
    }

    private static let marker = Array("[REDACTED".utf8)

    /// Escapes `text[start..<end]`, wrapping each `[REDACTED…]` in a `<mark>`.
    private mutating func appendMarkingRedactions(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard let base = text.baseAddress else { return }
        var plainStart = start
        var index = start
        while index < end {
            guard base[index] == 0x5B, Self.hasMarker(text, at: index, end: end),  // "["
                  let close = Self.firstIndex(of: UInt8(ascii: "]"), in: text, from: index + Self.marker.count, to: end)
            else {
                index += 1
                continue
            }
            appendEscaped(text, plainStart, index)
            raw("<mark class=\"redacted\" title=\"a secret was removed here before storage\">")
            appendEscaped(text, index, close + 1)
            raw("</mark>")
            index = close + 1
            plainStart = index
        }
        appendEscaped(text, plainStart, end)
    }

    private static func hasMarker(_ text: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Bool {
        guard end - index >= marker.count else { return false }
        for offset in 0..<marker.count where text[index + offset] != marker[offset] { return false }
        return true
    }

    private static func firstIndex(of byte: UInt8, in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            if text[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// For `L123: body` or `L123 x4: body`: where the label ends and the body begins.
    static func excerptLabel(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int)? {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard start < end, text[start] == UInt8(ascii: "L") else { return nil }
        var index = start + 1
        while index < end && isDigit(text[index]) { index += 1 }
        guard index > start + 1 else { return nil }
        if index + 2 < end && text[index] == UInt8(ascii: " ") && text[index + 1] == UInt8(ascii: "x") && isDigit(text[index + 2]) {
            index += 2
            while index < end && isDigit(text[index]) { index += 1 }
        }
        guard index < end, text[index] == UInt8(ascii: ":") else { return nil }
        let labelEnd = index
        index += 1
        guard index == end || text[index] == UInt8(ascii: " ") else { return nil }
        return (labelEnd, min(index + 1, end))
    }
}
