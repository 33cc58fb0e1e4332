import Foundation

/// One kind of secret: a pattern, the capture groups that hold the secret itself (the first
/// one that matched is replaced; none listed = the whole match) and an optional check that
/// the captured value really looks like a secret. `triggers` are lowercase literals one of
/// which every match contains: text without any of them skips the (slower) regex. `mayMatch`
/// is a closer byte-level test of ASCII text that every match passes (see `RedactionPrecheck`).
struct RedactionRule: Sendable {
    let kind: String
    let triggers: [[UInt8]]
    let regex: NSRegularExpression
    let groups: [Int]
    let accepts: @Sendable (Substring) -> Bool
    let mayMatch: RedactionPrecheck.Check

    init(
        _ kind: String, triggers: [String], _ pattern: String, groups: [Int] = [],
        accepts: @escaping @Sendable (Substring) -> Bool = { _ in true },
        mayMatch: @escaping RedactionPrecheck.Check
    ) {
        self.kind = kind
        self.triggers = triggers.map { Array($0.lowercased().utf8) }
        // The patterns are constants of this file's module; a bad one is a programming error.
        self.regex = try! NSRegularExpression(pattern: pattern, options: [])
        self.groups = groups
        self.accepts = accepts
        self.mayMatch = mayMatch
    }
}

extension RedactionRule {
    /// Keys whose value is a secret (`DB_PASSWORD`, `client_secret`, `api-key`, …): the match
    /// starts at the secret word (scanning for a key start at every position is slow) and
    /// runs to the end of the key, which must not be a source file name (`credentials_test.go:88:`).
    static let secretKey =
        "(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)"
        + "(?![A-Za-z0-9_.-]*\\.(?:go|java|kt|scala|py|rb|rs|js|ts|c|h|cc|cpp|hpp|cs|swift|php|sh|tf|txt|log|xml|yml|yaml|json|md)(?![A-Za-z0-9_]))"
        + "[A-Za-z0-9_.-]*"

    /// Keys that name or point at a secret rather than hold it (`secretName`, `tokenFile`).
    static let notAReference = "(?<!name|ref|file|path|type|kind|policy|count|length|_id|mode|dir)"

    /// Ordered: specific token shapes first, so their kind is reported; generic rules last.
    static let all: [RedactionRule] = [
        RedactionRule(
            "private_key", triggers: ["private key"],
            "-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\\z)",
            mayMatch: RedactionPrecheck.contains(["-----BEGIN"])
        ),
        RedactionRule("aws_access_key_id", triggers: ["akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "abia", "acca"], "(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])",
                      mayMatch: RedactionPrecheck.contains(["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"])),
        RedactionRule(
            "aws_secret_access_key", triggers: ["secret"],
            "(?i)(aws_?secret_?(?:access_?)?key|secretaccesskey)([\"']?[ \\t]*[:=][ \\t]*[\"']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
            groups: [3], mayMatch: RedactionPrecheck.containsIgnoringCase(["awssecret", "aws_secret", "secretaccesskey"])
        ),
        RedactionRule("github_token", triggers: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})",
                      mayMatch: RedactionPrecheck.contains(["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"])),
        RedactionRule("gitlab_token", triggers: ["glpat-"], "(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}", mayMatch: RedactionPrecheck.contains(["glpat-"])),
        RedactionRule("slack_token", triggers: ["xox"], "(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}", mayMatch: RedactionPrecheck.contains(["xox"])),
        RedactionRule("slack_webhook", triggers: ["hooks.slack.com"], "https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+",
                      mayMatch: RedactionPrecheck.contains(["https://hooks.slack.com/services/"])),
        RedactionRule("jwt", triggers: ["eyj"], "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
                      mayMatch: RedactionPrecheck.contains([".eyJ"])),
        RedactionRule(
            "authorization", triggers: ["authorization"],
            "(?i)(?<![A-Za-z0-9])((?:proxy-)?authorization)([\"']?[ \\t]*[:=][ \\t]*[\"']?)(?:(?:bearer|basic|token|digest|negotiate|aws4-hmac-sha256)[ \\t]+)?([^\\s\"',;]+)",
            groups: [3], accepts: notRedacted, mayMatch: RedactionPrecheck.authorizationHeader
        ),
        RedactionRule("bearer_token", triggers: ["bearer"], "(?i)(?<![A-Za-z])bearer[ \\t]+([A-Za-z0-9._~+/=-]{16,})", groups: [1], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.bearerToken),
        RedactionRule("cookie", triggers: ["cookie"], "(?i)(?<![A-Za-z0-9-])((?:set-)?cookie)([ \\t]*:[ \\t]*)([^\\r\\n]+)", groups: [3], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.cookieHeader),
        RedactionRule("url_password", triggers: ["://"], "(?i)(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]*://)([^\\s/:@]+):([^\\s/@]+)@", groups: [3], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.urlPassword),
        RedactionRule("docker_auth", triggers: ["\"auth\""], "(?i)(\"auth\"[ \\t]*:[ \\t]*\")([^\"]+)(\")", groups: [2], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.dockerAuth),
        RedactionRule(
            "secret", triggers: ["pass", "secret", "token", "key", "credential"],
            "(?i)(\(secretKey))\(notAReference)([\"']?)([ \\t]*[:=][ \\t]*)(?:\"([^\"\\r\\n]*)\"|'([^'\\r\\n]*)'|([^\\s\"',;&})\\]]+))",
            groups: [4, 5, 6], accepts: looksLikeValue, mayMatch: RedactionPrecheck.secretAssignment
        ),
        RedactionRule(
            "secret", triggers: ["pass", "secret", "token", "key", "credential"],
            "(?i)(?<![A-Za-z0-9-])(--?(?:password|passwd|token|secret|api-key|apikey|client-secret))[ \\t]+([^\\s-][^\\s]*)",
            groups: [2], accepts: looksLikeValue, mayMatch: RedactionPrecheck.secretFlag
        ),
        RedactionRule(
            "high_entropy", triggers: ["key", "sig", "hmac", "salt", "cred", "session", "cookie", "auth"],
            "(?i)((?:key|sig|signature|hmac|salt|cred|session|cookie|auth)[A-Za-z0-9_.-]*)([\"']?[ \\t]*[:=][ \\t]*[\"']?)([A-Za-z0-9+/=_%]{20,})(?![A-Za-z0-9+/=_%.-])",
            groups: [3], accepts: looksRandom, mayMatch: RedactionPrecheck.highEntropyAssignment
        ),
    ]

    static let notRedacted: @Sendable (Substring) -> Bool = { !$0.hasPrefix("[REDACTED") }

    /// A value after a secret key, but not a placeholder, a flag or a small count.
    static let looksLikeValue: @Sendable (Substring) -> Bool = { v in
        guard !v.isEmpty, !v.hasPrefix("[REDACTED"), !v.hasPrefix("${"), !v.hasPrefix("$("), !v.hasPrefix("<") else { return false }
        if v.allSatisfy({ $0 == "*" || $0 == "x" || $0 == "X" }) { return false }
        if v.count < 8, v.allSatisfy(\.isNumber) { return false }
        // `file:12:5:` positions, not values.
        if v.allSatisfy({ $0.isNumber || $0 == ":" }) { return false }
        let lower = v.lowercased()
        return !["true", "false", "null", "nil", "none", "yes", "no", "required", "optional", "string"].contains(lower)
    }

    /// Random-looking: letters and digits mixed, high Shannon entropy per character.
    static let looksRandom: @Sendable (Substring) -> Bool = { v in
        guard !v.hasPrefix("[REDACTED"), v.contains(where: \.isNumber), v.contains(where: \.isLetter) else { return false }
        var freq: [Character: Int] = [:]
        for c in v { freq[c, default: 0] += 1 }
        let n = Double(v.count)
        let entropy = freq.values.reduce(0.0) { acc, k in
            let p = Double(k) / n
            return acc - p * log2(p)
        }
        return entropy >= 3.5
    }
}
