/// Builds an HTML document as UTF-8 bytes. Markup goes in through `raw` (literals written in
/// this module); every value from the database — pod names, logs, model answers, which an
/// attacker may control — goes through `text`, which escapes `& < > " '`, so it can neither
/// open a tag nor leave an attribute.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 16 * 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written by this module. Never pass stored values here.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Markup built from literals and numbers (e.g. an `href` with a job id).
    mutating func rawComposed(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    /// A value, escaped for element content and quoted attribute values alike.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { appendEscaped($0, 0, $0.count) }
    }

    /// `utf8[start..<end]`, escaped: runs without a special character are copied at once.
    mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        var runStart = start
        for index in start..<end {
            let replacement: StaticString
            switch utf8[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end]))
    }

    mutating func text(_ value: Int) { rawComposed(String(value)) }
    mutating func text(_ value: Int64) { rawComposed(String(value)) }

    /// `<tag>value</tag>` for a simple element (tag from a literal).
    mutating func element(_ open: StaticString, _ value: String, close: StaticString) {
        raw(open)
        text(value)
        raw(close)
    }

    /// The escaped form of `value`, for tests and attribute-building.
    static func escape(_ value: String) -> String {
        var writer = HTMLWriter(capacity: value.utf8.count + 16)
        writer.text(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
