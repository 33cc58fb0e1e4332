import Foundation

/// How a rule replaces what it matched. Most secrets are one value and become one marker; a
/// secret spread over lines (a YAML block scalar) or a map of secrets (a Kubernetes Secret's
/// `data:`) keeps its line breaks and keys, so line numbers and the text around stay as they were.
enum RedactionReplacement: Sendable {
    /// The whole match becomes one marker.
    case whole
    /// Each line's text after its indentation becomes a marker; blank lines stay.
    case eachLine
    /// Each `key: value` line's value becomes a marker, where `value` passes `test`.
    case yamlValues(@Sendable (Substring) -> Bool)
    /// Each `"key": "value"` pair's value becomes a marker, where `value` passes `test`.
    case jsonValues(@Sendable (Substring) -> Bool)

    func apply(to text: Substring, marker: String) -> String {
        switch self {
        case .whole:
            return marker
        case .eachLine:
            return Self.lines(of: text) { line in
                let indent = line.prefix { $0 == " " || $0 == "\t" }
                let rest = line.dropFirst(indent.count)
                return rest.allSatisfy(\.isWhitespace) ? String(line) : indent + marker
            }
        case .yamlValues(let test):
            return Self.lines(of: text) { line in
                guard let colon = line.firstRange(of: ": ") else { return String(line) }
                let value = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty, !value.hasPrefix("[REDACTED"), test(Substring(value)) else { return String(line) }
                return line[..<colon.upperBound] + marker
            }
        case .jsonValues(let test):
            let ns = String(text) as NSString
            let out = NSMutableString(string: ns as String)
            for m in Self.jsonPair.matches(in: ns as String, range: NSRange(location: 0, length: ns.length)).reversed() {
                let range = m.range(at: 1)
                let value = Substring(ns.substring(with: range))
                guard !value.hasPrefix("[REDACTED"), test(value) else { continue }
                out.replaceCharacters(in: range, with: marker)
            }
            return out as String
        }
    }

    /// `"key": "value"` with optionally escaped quotes; group 1 is the value.
    private static let jsonPair = try! NSRegularExpression(
        pattern: #"\\?"[^"\\]*\\?"[ \t]*:[ \t]*\\?"((?:[^"\\]|\\(?!"))*)\\?""#)

    private static func lines(of text: Substring, _ transform: (Substring) -> String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            // Keep a `\r` of a CRLF line end.
            if line.hasSuffix("\r") { return transform(line.dropLast()) + "\r" }
            return transform(line)
        }.joined(separator: "\n")
    }

    /// A Kubernetes Secret's `data` value: base64, a whole number of quads, padded or at least
    /// 8 long (a ConfigMap's `data: {level: info}` is not base64 of a secret).
    static let looksLikeBase64: @Sendable (Substring) -> Bool = { v in
        guard v.count >= 4, v.count % 4 == 0 else { return false }
        let unpadded = v.reversed().drop { $0 == "=" }
        guard v.count - unpadded.count <= 2 else { return false }
        guard unpadded.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }) else { return false }
        return v.hasSuffix("=") || v.count >= 8
    }

    static let anyValue: @Sendable (Substring) -> Bool = { !$0.isEmpty }
}
