import Foundation

/// Replaces secrets in text with `[REDACTED:kind]` (tokens, keys, passwords, JWTs, private
/// key blocks, credentials in URLs and headers). Ordinary log text is left as it is.
///
/// Most text holds no secret, so the cost is in ruling one out: one pass over the bytes finds
/// the rules whose trigger literals occur, each of those gets a byte-level precheck, and only
/// a text that passes one meets the (ICU, UTF-16) regexes. A text that passes none is returned
/// as it came, without a Foundation string being made.
public struct SecretRedactor: Sendable {
    let rules: [RedactionRule]
    private let triggers: RedactionTriggers

    public init() {
        rules = RedactionRule.all
        triggers = RedactionTriggers(rules.map(\.triggers))
    }

    public static func marker(_ kind: String) -> String { "[REDACTED:\(kind)]" }

    public func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var text = text
        // Triggers are looked for in the text as given, before any rule rewrote it.
        let triggered = text.withUTF8 { bytes in
            var found = triggers.rules(in: bytes)
            // Rules without triggers have prechecks that hold for any text (their pattern is
            // case-sensitive ASCII). If no other rule is triggered they see the text as given
            // and are ruled out here, before it is copied; otherwise at their turn below, on
            // the text as the rules before them left it.
            guard found.bits & ~triggers.untriggered.bits == 0 else { return found }
            for (index, rule) in rules.enumerated() where triggers.untriggered.contains(index) {
                if !rule.mayMatch(bytes) { found.remove(index) }
            }
            return found
        }
        guard !triggered.isEmpty else { return text }

        var bytes = Array(text.utf8)   // the text as the rules so far left it
        var isASCII = bytes.allSatisfy { $0 < 0x80 }
        var out: NSMutableString?      // made for the first rule whose regex has to run
        for (index, rule) in rules.enumerated() where triggered.contains(index) {
            if isASCII, !bytes.withUnsafeBufferPointer(rule.mayMatch) { continue }
            let current = out ?? NSMutableString(string: text)
            out = current
            if apply(rule, to: current) {
                bytes = Array((current as String).utf8)
                isASCII = bytes.allSatisfy { $0 < 0x80 }
            }
        }
        return out.map { $0 as String } ?? text
    }

    /// Replaces `rule`'s accepted matches in `out`, last first so earlier ranges stay valid.
    /// Returns true if it replaced any.
    private func apply(_ rule: RedactionRule, to out: NSMutableString) -> Bool {
        let matches = rule.regex.matches(in: out as String, range: NSRange(location: 0, length: out.length))
        var replaced = false
        for m in matches.reversed() {
            let target = rule.groups.isEmpty
                ? m.range
                : rule.groups.lazy.map { m.range(at: $0) }.first { $0.location != NSNotFound && $0.length > 0 }
            guard let range = target else { continue }
            let value = Substring(out.substring(with: range))
            guard rule.accepts(value) else { continue }
            out.replaceCharacters(in: range, with: rule.replaced(value))
            replaced = true
        }
        return replaced
    }
}
