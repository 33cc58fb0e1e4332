import Foundation

/// Replaces secrets in text with `[REDACTED:kind]` (tokens, keys, passwords, JWTs, private
/// key blocks, credentials in URLs and headers). Ordinary log text is left as it is.
public struct SecretRedactor: Sendable {
    let rules: [RedactionRule]

    public init() {
        rules = RedactionRule.all
    }

    public static func marker(_ kind: String) -> String { "[REDACTED:\(kind)]" }

    public func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let out = NSMutableString(string: text)
        for rule in rules {
            let triggered = bytes.withUnsafeBufferPointer { buf in
                rule.triggers.contains { ByteClass.containsLowercased(buf, $0) }
            }
            guard triggered else { continue }
            let matches = rule.regex.matches(in: out as String, range: NSRange(location: 0, length: out.length))
            for m in matches.reversed() {
                let target = rule.groups.isEmpty
                    ? m.range
                    : rule.groups.lazy.map { m.range(at: $0) }.first { $0.location != NSNotFound && $0.length > 0 }
                guard let range = target else { continue }
                guard rule.accepts(Substring(out.substring(with: range))) else { continue }
                out.replaceCharacters(in: range, with: Self.marker(rule.kind))
            }
        }
        return out as String
    }
}
