/// Cheap necessary conditions for the redaction patterns, tested on a text's bytes before the
/// pattern's regex runs: a text that fails one cannot match, so the regex (ICU over UTF-16,
/// the costly part of redaction) is skipped. Triggers alone let through every URL (`://`),
/// `key`, `token` and `passed`; these checks follow the pattern as far as the key's separator
/// (`password=`, `user:pass@`) or the value's minimum length.
///
/// Each check must accept every text the pattern can match, so the byte classes here are
/// never narrower than the regex's: a run stops only at bytes the regex certainly excludes.
/// They hold for ASCII text only (the caller skips them otherwise): with `(?i)` ICU also
/// folds some non-ASCII letters (`ſ` to s, the Kelvin sign to k) into ASCII ones.
enum RedactionPrecheck {
    typealias Check = @Sendable (UnsafeBufferPointer<UInt8>) -> Bool

    /// Case-sensitive: one of `literals` occurs (for patterns without `(?i)`).
    static func contains(_ literals: [String]) -> Check {
        let needles = literals.map { Array($0.utf8) }
        return { s in needles.contains { needle in occurrences(of: needle, in: s, caseSensitive: true) { _, _ in true } } }
    }

    /// Case-insensitive: one of `literals` occurs.
    static func containsIgnoringCase(_ literals: [String]) -> Check {
        let needles = literals.map { Array($0.lowercased().utf8) }
        return { s in needles.contains { ByteClass.containsLowercased(s, $0) } }
    }

    /// `scheme://user:password@`: after some `://`, a user (no whitespace, `/`, `:`, `@`; may
    /// be empty), a colon, then a password (no whitespace or `@`) ending at an `@`.
    static let urlPassword: Check = { s in
        occurrences(of: Literal.schemeEnd, in: s) { _, end in
            let userEnd = skip(s, from: end) { !isSpace($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "@") }
            guard userEnd < s.count, s[userEnd] == UInt8(ascii: ":") else { return false }
            let passwordEnd = skip(s, from: userEnd + 1) { !isSpace($0) && $0 != UInt8(ascii: "@") }
            return passwordEnd > userEnd + 1 && passwordEnd < s.count && s[passwordEnd] == UInt8(ascii: "@")
        }
    }

    /// `scheme://TOKEN@`: after some `://`, at least 20 token bytes, then an `@`.
    static let urlToken: Check = { s in
        occurrences(of: Literal.schemeEnd, in: s) { _, end in
            let tokenEnd = skip(s, from: end, while: isTokenByte)
            return tokenEnd - end >= 20 && tokenEnd < s.count && s[tokenEnd] == UInt8(ascii: "@")
        }
    }

    /// `sk-` (case-sensitive) and at least 20 token bytes.
    static let skKey: Check = { s in
        occurrences(of: Literal.sk, in: s, caseSensitive: true) { _, end in skip(s, from: end, while: isTokenByte) - end >= 20 }
    }

    /// A base64 byte, a line end, blanks, `-----END` (case-sensitive), then `PRIVATE KEY`
    /// within the run of `[A-Z0-9 ]` after it.
    static let keyBodyAboveEnd: Check = { s in
        occurrences(of: Literal.end, in: s, caseSensitive: true) { start, end in
            var i = start
            while i > 0, isBlank(s[i - 1]) { i -= 1 }
            guard i > 0, s[i - 1] == 0x0A else { return false }
            i -= 1
            if i > 0, s[i - 1] == 0x0D { i -= 1 }
            guard i > 0, isBase64Byte(s[i - 1]) else { return false }
            let nameEnd = skip(s, from: end) { ($0 >= 0x41 && $0 <= 0x5A) || ByteClass.isDigit($0) || $0 == 0x20 }
            return occurrences(of: Literal.privateKey, in: UnsafeBufferPointer(rebasing: s[end..<nameEnd]), caseSensitive: true) { _, _ in true }
        }
    }

    /// `name` with an optional (escaped) quote, blanks and `:`, in a text that holds `value`.
    static let nameValuePair: Check = { s in
        guard ByteClass.containsLowercased(s, Literal.value) else { return false }
        return occurrences(of: Literal.name, in: s) { _, end in
            var i = end
            if i < s.count, s[i] == UInt8(ascii: "\\") { i += 1 }
            if i < s.count, s[i] == UInt8(ascii: "\"") { i += 1 }
            i = skip(s, from: i, while: isBlank)
            return i < s.count && s[i] == UInt8(ascii: ":")
        }
    }

    /// `login`, `sshpass` or `mysql`, and a `-p` after a blank.
    static let loginPassword: Check = { s in
        guard Literal.loginCommands.contains(where: { ByteClass.containsLowercased(s, $0) }) else { return false }
        return occurrences(of: Literal.dashP, in: s) { start, _ in start > 0 && isBlank(s[start - 1]) }
    }

    /// `curl`, a `-u` (in `-u`, `--user`, `--proxy-user`) and a colon.
    static let curlUser: Check = { s in
        ByteClass.containsLowercased(s, Literal.curl) && ByteClass.containsLowercased(s, Literal.dashU) && s.contains(UInt8(ascii: ":"))
    }

    /// `authorization: …`, `Authorization="…`: the word, an optional quote, blanks, `:` or `=`.
    static let authorizationHeader: Check = { s in
        occurrences(of: Literal.authorization, in: s) { _, end in separatorEnd(s, from: end, keyRun: false) != nil }
    }

    /// `Bearer ` and at least 16 token bytes.
    static let bearerToken: Check = { s in
        occurrences(of: Literal.bearer, in: s) { _, end in
            let tokenStart = skip(s, from: end, while: isBlank)
            guard tokenStart > end else { return false }
            return skip(s, from: tokenStart, while: isBearerByte) - tokenStart >= 16
        }
    }

    /// `cookie:` (and `Set-Cookie :`).
    static let cookieHeader: Check = { s in
        occurrences(of: Literal.cookie, in: s) { _, end in
            let colon = skip(s, from: end, while: isBlank)
            return colon < s.count && s[colon] == UInt8(ascii: ":")
        }
    }

    /// `"auth": "` of a Docker config, each quote optionally escaped (`\"auth\":\"`).
    static let dockerAuth: Check = { s in
        occurrences(of: Literal.quotedAuth, in: s) { _, end in
            var colon = end
            if colon < s.count, s[colon] == UInt8(ascii: "\\") { colon += 1 }
            guard colon < s.count, s[colon] == UInt8(ascii: "\"") else { return false }
            colon = skip(s, from: colon + 1, while: isBlank)
            guard colon < s.count, s[colon] == UInt8(ascii: ":") else { return false }
            var quote = skip(s, from: colon + 1, while: isBlank)
            if quote < s.count, s[quote] == UInt8(ascii: "\\") { quote += 1 }
            return quote < s.count && s[quote] == UInt8(ascii: "\"")
        }
    }

    /// A secret key (`password`, `client_secret`, `api-key`, `credentials`, …) followed by its
    /// name's remaining bytes, an optional quote, blanks and `:` or `=`.
    static let secretAssignment: Check = { s in
        for word in secretWords {
            if occurrences(of: word, in: s, { _, end in separatorEnd(s, from: end, keyRun: true) != nil }) { return true }
        }
        return occurrences(of: Literal.key, in: s) { start, end in
            isOwnedKey(s, keyStart: start) && separatorEnd(s, from: end, keyRun: true) != nil
        }
    }

    /// `--password VALUE`, `-token VALUE`, `--api-key VALUE`: the flag, blanks, then a byte that
    /// is neither blank nor `-`; or the flag, a line end and a YAML list item (`⏎- VALUE`); or
    /// the next item of a JSON list (`"--password", "VALUE"`).
    static let secretFlag: Check = { s in
        secretFlags.contains { flag in
            occurrences(of: flag, in: s) { _, end in
                if isNextJSONItem(s, from: end) { return true }
                let value = skip(s, from: end, while: isBlank)
                if value > end, value < s.count, !isSpace(s[value]), s[value] != UInt8(ascii: "-") { return true }
                var i = value
                if i < s.count, s[i] == 0x0D { i += 1 }
                guard i < s.count, s[i] == 0x0A else { return false }
                i = skip(s, from: i + 1, while: isBlank)
                guard i < s.count, s[i] == UInt8(ascii: "-") else { return false }
                let item = skip(s, from: i + 1, while: isBlank)
                return item > i + 1 && item < s.count && !isSpace(s[item]) && s[item] != UInt8(ascii: "-")
            }
        }
    }

    /// `signing_key: VALUE`: a key word, the separator, then at least 20 value bytes.
    static let highEntropyAssignment: Check = { s in
        entropyKeyWords.contains { word in
            occurrences(of: word, in: s) { _, end in
                guard let afterSeparator = separatorEnd(s, from: end, keyRun: true) else { return false }
                var value = skip(s, from: afterSeparator, while: isBlank)
                if value < s.count, s[value] == UInt8(ascii: "\\") { value += 1 }
                if value < s.count, isQuote(s[value]) { value += 1 }
                return skip(s, from: value, while: isEntropyValueByte) - value >= 20
            }
        }
    }

    // MARK: - Pattern pieces

    /// Literals the checks look for, made once (not on every call).
    private enum Literal {
        static let schemeEnd = Array("://".utf8)
        static let authorization = Array("authorization".utf8)
        static let bearer = Array("bearer".utf8)
        static let cookie = Array("cookie".utf8)
        static let quotedAuth = Array("\"auth".utf8)
        static let key = Array("key".utf8)
        static let sk = Array("sk-".utf8)
        static let end = Array("-----END".utf8)
        static let privateKey = Array("PRIVATE KEY".utf8)
        static let name = Array("name".utf8)
        static let value = Array("value".utf8)
        static let loginCommands = ["login", "sshpass", "mysql"].map { Array($0.utf8) }
        static let dashP = Array("-p".utf8)
        static let curl = Array("curl".utf8)
        static let dashU = Array("-u".utf8)
    }

    /// Words of `RedactionRule.secretKey` other than the `…key` ones (`pass` covers `password`,
    /// `passwd` and `passphrase`).
    private static let secretWords = ["pass", "pwd", "secret", "token", "credential"].map { Array($0.utf8) }
    /// What may precede `key` in `RedactionRule.secretKey` (`api[_-]?key`, `access[_-]?key`, …).
    private static let keyOwners = ["api", "access", "private", "auth"].map { Array($0.utf8) }
    /// The flag names of the `--password VALUE` rule, each with the `-` before it (`--api-key`
    /// and `--client-secret` end in `-key` and `-secret`).
    private static let secretFlags = ["-password", "-passwd", "-passphrase", "-pass", "-pwd", "-token", "-secret", "-apikey", "-key"].map { Array($0.utf8) }
    /// `signature` starts with `sig`.
    private static let entropyKeyWords = ["key", "sig", "hmac", "salt", "cred", "session", "cookie", "auth", "dockerconfigjson", "dockercfg"]
        .map { Array($0.utf8) }

    /// After a JSON list item's end at `from`: an optional `\`, a quote, blanks, a comma,
    /// blanks (and one line end), then the next item's optional `\`, quote and a first byte
    /// that is not blank, `"`, `\` or `-`.
    private static func isNextJSONItem(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var i = from
        if i < s.count, s[i] == UInt8(ascii: "\\") { i += 1 }
        guard i < s.count, s[i] == UInt8(ascii: "\"") else { return false }
        i = skip(s, from: i + 1, while: isBlank)
        guard i < s.count, s[i] == UInt8(ascii: ",") else { return false }
        i = skip(s, from: i + 1, while: isBlank)
        if i < s.count, s[i] == 0x0D { i += 1 }
        if i < s.count, s[i] == 0x0A { i = skip(s, from: i + 1, while: isBlank) }
        if i < s.count, s[i] == UInt8(ascii: "\\") { i += 1 }
        guard i < s.count, s[i] == UInt8(ascii: "\"") else { return false }
        i += 1
        return i < s.count && !isSpace(s[i]) && s[i] != UInt8(ascii: "\"") && s[i] != UInt8(ascii: "\\") && s[i] != UInt8(ascii: "-")
    }

    /// `api_key`, `accesskey`, `Private-Key`: `key` at `keyStart` preceded by an owner word and an optional `_`/`-`.
    private static func isOwnedKey(_ s: UnsafeBufferPointer<UInt8>, keyStart: Int) -> Bool {
        var end = keyStart
        if end > 0, s[end - 1] == UInt8(ascii: "_") || s[end - 1] == UInt8(ascii: "-") { end -= 1 }
        return keyOwners.contains { owner in
            end >= owner.count && (0..<owner.count).allSatisfy { ByteClass.lower(s[end - owner.count + $0]) == owner[$0] }
        }
    }

    /// After a key word ending at `from`: the rest of the key name (`[A-Za-z0-9_.-]*`, if
    /// `keyRun`), an optional quote (itself optionally escaped: `\"`), blanks, then `:` or `=`. Returns the offset after the
    /// separator. Each piece's class excludes the next piece's first byte, so the greedy
    /// runs here are the only way the pattern can go.
    private static func separatorEnd(_ s: UnsafeBufferPointer<UInt8>, from: Int, keyRun: Bool) -> Int? {
        var i = keyRun ? skip(s, from: from, while: isKeyNameByte) : from
        if i < s.count, s[i] == UInt8(ascii: "\\") { i += 1 }
        if i < s.count, isQuote(s[i]) { i += 1 }
        i = skip(s, from: i, while: isBlank)
        guard i < s.count, s[i] == UInt8(ascii: ":") || s[i] == UInt8(ascii: "=") else { return nil }
        return i + 1
    }

    /// True if `body(start, end)` is for some occurrence of `needle` (lowercase unless `caseSensitive`).
    private static func occurrences(
        of needle: [UInt8], in s: UnsafeBufferPointer<UInt8>, caseSensitive: Bool = false, _ body: (Int, Int) -> Bool
    ) -> Bool {
        let m = needle.count
        guard m > 0, s.count >= m else { return false }
        for i in 0...(s.count - m) {
            var j = 0
            if caseSensitive {
                while j < m, s[i + j] == needle[j] { j += 1 }
            } else {
                while j < m, ByteClass.lower(s[i + j]) == needle[j] { j += 1 }
            }
            if j == m, body(i, i + m) { return true }
        }
        return false
    }

    private static func skip(_ s: UnsafeBufferPointer<UInt8>, from: Int, while test: (UInt8) -> Bool) -> Int {
        var i = from
        while i < s.count, test(s[i]) { i += 1 }
        return i
    }

    /// Bytes ICU's `\s` certainly matches (`[\t\n\f\r\p{Z}]` in ASCII). Runs of `[^\s…]` stop
    /// only at these, so an unusual control byte never ends a run the regex would continue.
    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    private static func isQuote(_ b: UInt8) -> Bool { b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") }

    private static func isAlphanumeric(_ b: UInt8) -> Bool { ByteClass.isLetter(b) || ByteClass.isDigit(b) }

    /// `[A-Za-z0-9_.-]`
    private static func isKeyNameByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// `[A-Za-z0-9_-]`
    private static func isTokenByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// `[A-Za-z0-9+/=]`
    private static func isBase64Byte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }

    /// `[A-Za-z0-9._~+/=-]`
    private static func isBearerByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || b == UInt8(ascii: "-")
    }

    /// `[A-Za-z0-9+/=_%]`
    private static func isEntropyValueByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "%")
    }
}
