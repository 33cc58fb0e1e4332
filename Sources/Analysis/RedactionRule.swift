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
    let replacement: RedactionReplacement

    init(
        _ kind: String, triggers: [String], _ pattern: String, groups: [Int] = [],
        accepts: @escaping @Sendable (Substring) -> Bool = { _ in true },
        replacement: RedactionReplacement = .whole,
        mayMatch: @escaping RedactionPrecheck.Check
    ) {
        self.kind = kind
        self.triggers = triggers.map { Array($0.lowercased().utf8) }
        // The patterns are constants of this file's module; a bad one is a programming error.
        self.regex = try! NSRegularExpression(pattern: pattern, options: [])
        self.groups = groups
        self.accepts = accepts
        self.mayMatch = mayMatch
        self.replacement = replacement
    }

    /// What replaces an accepted match `value` (see `RedactionReplacement`).
    func replaced(_ value: Substring) -> String {
        replacement.apply(to: value, marker: SecretRedactor.marker(kind))
    }
}

extension RedactionRule {
    /// Keys whose value is a secret (`DB_PASSWORD`, `client_secret`, `api-key`, …): the match
    /// starts at the secret word (scanning for a key start at every position is slow) and
    /// runs to the end of the key, which must not be a source file name (`credentials_test.go:88:`).
    static let secretKey =
        "(?:password|passwd|passphrase|" + shortPasswordKey + "|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)"
        + "(?![A-Za-z0-9_.-]*\\.(?:go|java|kt|scala|py|rb|rs|js|ts|c|h|cc|cpp|hpp|cs|swift|php|sh|tf|txt|log|xml|yml|yaml|json|md)(?![A-Za-z0-9_]))"
        // Possessive: nothing after a key starts with a key character, and backtracking into a
        // long run of key characters made the generic rule quadratic.
        + "[A-Za-z0-9_.-]*+"

    /// `pass` and `pwd` as the last word of a compound key (`DB_PASS`, `MYSQL_PWD`, `smtp.pass`,
    /// `dbPass`), never on their own: `PASS: TestX` is a test result and `PWD=/src` a directory.
    static let shortPasswordKey = "(?<=[_.-])(?:pass|pwd)(?![A-Za-z])|(?-i:(?<=[a-z0-9])P(?:ass|wd)(?![a-z]))"

    /// Keys that name or point at a secret rather than hold it (`secretName`, `tokenFile`).
    static let notAReference = "(?<!name|ref|file|path|type|kind|policy|count|length|_id|mode|dir|error|errors|exception|failed|failure)"

    /// A key's value, after a secret key and its separator. Quotes may be JSON-escaped
    /// (`\"password\":\"…\"` inside a logged JSON string): the quoted forms take an optional
    /// backslash before each quote.
    static let doubleQuoted = #"\\?"((?:[^"\\\r\n]|\\[^"\r\n])*)\\?""#
    static let singleQuoted = #"'([^'\r\n]*)'"#
    /// `KEY=value`: to the next blank or quote (`p@ss,w0rd;XYZ&1` whole), without a trailing
    /// `,;&)}]` or backslash (`{password=x, user=y}`, `\"DB_PASSWORD=x\"`).
    static let assignedValue = #"([^\s"',;&})\]\\](?:[^\s"']*[^\s"',;&)}\]\\])?)"#
    /// `key: value` starting a line (YAML): to the end of the line, trailing blanks and a
    /// closing (escaped) quote left out.
    static let colonValue = #"([^\s"',;&})\]\\](?:[^\r\n"]*[^\s"\\])?)"#
    /// An unquoted value after a quoted key (JSON, dicts): to the next blank, quote or `,;&})]`.
    static let jsonBareValue = #"([^\s"',;&})\]\\]+)"#

    /// The `key: value` lines of a YAML map indented under the line before (group 2), without
    /// the last line end.
    static let yamlMapEntries =
        #"(\1[ \t]++[A-Za-z0-9_.-]++:[ \t]++[^\r\n]*+(?:\r?\n\1[ \t]++[A-Za-z0-9_.-]++:[ \t]++[^\r\n]*+)*+)"#

    /// Ordered: specific token shapes first, so their kind is reported; generic rules last.
    static let all: [RedactionRule] = [
        RedactionRule(
            "private_key", triggers: ["private key"],
            "-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\\z)",
            mayMatch: RedactionPrecheck.contains(["-----BEGIN"])
        ),
        // A key whose BEGIN line was cut off (a log tail that starts inside it): the base64
        // lines right above an END line. The match starts at the text's start or at the line
        // before the base64 lines (one that is blank or holds more than base64), never inside
        // them, and every run is possessive: a long base64 blob costs one pass, not one per line.
        RedactionRule(
            "private_key", triggers: ["private key"],
            #"(?m)(?:\A|^[ \t]*+(?:[A-Za-z0-9+/=]++[^\r\n]++|(?![A-Za-z0-9+/=])[^\r\n]*+)\r?\n)"#
                + #"((?:[ \t]*+[A-Za-z0-9+/=]++(?:\r?\n(?=[ \t]*+[A-Za-z0-9+/=])|(?=\r?\n[ \t]*+-----END)))++)"#
                + #"(?=\r?\n[ \t]*+-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)"#,
            groups: [1], mayMatch: RedactionPrecheck.keyBodyAboveEnd
        ),
        RedactionRule("aws_access_key_id", triggers: ["akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "abia", "acca"], "(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])",
                      mayMatch: RedactionPrecheck.contains(["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"])),
        RedactionRule(
            "aws_secret_access_key", triggers: ["secret"],
            #"(?i)(aws_?secret_?(?:access_?)?key|secretaccesskey)(\\?["']?[ \t]*[:=][ \t]*\\?["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#,
            groups: [3], mayMatch: RedactionPrecheck.containsIgnoringCase(["awssecret", "aws_secret", "secretaccesskey"])
        ),
        RedactionRule("github_token", triggers: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})",
                      mayMatch: RedactionPrecheck.contains(["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"])),
        RedactionRule("gitlab_token", triggers: gitlabPrefixes, "(?<![A-Za-z0-9_])(?:\(gitlabPrefixes.joined(separator: "|")))[A-Za-z0-9_-]{20,}",
                      mayMatch: RedactionPrecheck.contains(gitlabPrefixes)),
        RedactionRule("slack_token", triggers: ["xox", "xapp-"], "(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}", mayMatch: RedactionPrecheck.contains(["xox", "xapp-"])),
        RedactionRule("slack_webhook", triggers: ["hooks.slack.com"], "https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+",
                      mayMatch: RedactionPrecheck.contains(["https://hooks.slack.com/services/"])),
        RedactionRule("openshift_token", triggers: ["sha256~"], "(?<![A-Za-z0-9_-])sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])",
                      mayMatch: RedactionPrecheck.contains(["sha256~"])),
        RedactionRule("npm_token", triggers: ["npm_"], "(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])", mayMatch: RedactionPrecheck.contains(["npm_"])),
        RedactionRule("pypi_token", triggers: ["pypi-age"], "(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{50,}", mayMatch: RedactionPrecheck.contains(["pypi-AgE"])),
        RedactionRule("vault_token", triggers: ["hvs.", "hvb.", "hvr."], "(?<![A-Za-z0-9_.-])hv[sbr]\\.[A-Za-z0-9_-]{24,}",
                      mayMatch: RedactionPrecheck.contains(["hvs.", "hvb.", "hvr."])),
        RedactionRule("google_api_key", triggers: ["aiza"], "(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", mayMatch: RedactionPrecheck.contains(["AIza"])),
        // OpenAI-style `sk-…` (also `sk-proj-…`, `sk-ant-…`): random-looking only, so a
        // `sk-learn-tutorial-notebooks` stays.
        RedactionRule("api_key", triggers: ["sk-"], "(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}", accepts: looksRandom,
                      mayMatch: RedactionPrecheck.skKey),
        RedactionRule("jwt", triggers: ["eyj"], "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
                      mayMatch: RedactionPrecheck.contains([".eyJ"])),
        // The separator may open a Go header map's value list (`map[Authorization:[Bearer …]]`).
        RedactionRule(
            "authorization", triggers: ["authorization"],
            #"(?i)(?<![A-Za-z0-9])((?:proxy-)?authorization)(\\?["']?[ \t]*[:=][ \t]*(?:\[(?!REDACTED:))?\\?["']?)(?:(?:bearer|basic|token|digest|negotiate|aws4-hmac-sha256)[ \t]+)?([^\s"',;\]\\]+)"#,
            groups: [3], accepts: notRedacted, mayMatch: RedactionPrecheck.authorizationHeader
        ),
        RedactionRule("bearer_token", triggers: ["bearer"], "(?i)(?<![A-Za-z])bearer[ \\t]+([A-Za-z0-9._~+/=-]{16,})", groups: [1], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.bearerToken),
        RedactionRule("cookie", triggers: ["cookie"], "(?i)(?<![A-Za-z0-9-])((?:set-)?cookie)([ \\t]*:[ \\t]*)([^\\r\\n]+)", groups: [3], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.cookieHeader),
        // `user:password@`, also with an empty user (`redis://:pw@host`) and a `/` inside the
        // password, unless what follows the colon is a port (`host:8080/path/x@y`).
        RedactionRule("url_password", triggers: ["://"], #"(?i)(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]*://)(?!\[REDACTED:)([^\s/:@]*):(?![0-9]+/)([^\s/@]+(?:/[^\s/@]+)*)@"#,
                      groups: [3], accepts: notRedacted, mayMatch: RedactionPrecheck.urlPassword),
        // A token as the whole userinfo (`https://<token>@host/…`): long and random-looking.
        RedactionRule("url_password", triggers: ["://"], #"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9_-]{20,})@"#,
                      groups: [1], accepts: looksRandom, mayMatch: RedactionPrecheck.urlToken),
        RedactionRule("docker_auth", triggers: ["\"auth"], #"(?i)(\\?"auth\\?"[ \t]*:[ \t]*\\?")([^"\\]+)(\\?")"#, groups: [2], accepts: notRedacted,
                      mayMatch: RedactionPrecheck.dockerAuth),
        // A YAML block scalar under a secret key (`password: |`, `token: >-`): every line of
        // the indented block after it, each replaced in place so the line count stays.
        RedactionRule(
            "secret", triggers: secretTriggers,
            #"(?im)^([ \t]*+)(?:-[ \t]+)?["']?[A-Za-z0-9_.-]*?"# + secretKey + notAReference
                + #"["']?[ \t]*:[ \t]*[|>][-+0-9]*[ \t]*\r?\n"#
                + #"(\1[ \t]++[^\r\n]*+(?:\r?\n(?:[ \t]*+\r?\n)*+\1[ \t]++[^\r\n]*+)*+)"#,
            groups: [2], replacement: .eachLine, mayMatch: RedactionPrecheck.secretAssignment
        ),
        // A Kubernetes Secret's `data:`/`binaryData:` map (base64 values under any key: `tls.key`,
        // `.dockerconfigjson`) and its `stringData:` map (plain values), in YAML and JSON.
        RedactionRule(
            "kubernetes_secret", triggers: ["data"],
            #"(?m)^([ \t]*+)(?:data|binaryData):[ \t]*+\r?\n"# + yamlMapEntries,
            groups: [2], replacement: .yamlValues(RedactionReplacement.looksLikeBase64),
            mayMatch: RedactionPrecheck.containsIgnoringCase(["data:"])
        ),
        RedactionRule(
            "kubernetes_secret", triggers: ["data"],
            #"(?m)^([ \t]*+)stringData:[ \t]*+\r?\n"# + yamlMapEntries,
            groups: [2], replacement: .yamlValues(RedactionReplacement.anyValue),
            mayMatch: RedactionPrecheck.containsIgnoringCase(["stringdata:"])
        ),
        RedactionRule(
            "kubernetes_secret", triggers: ["data"],
            #"\\?"(?:data|binaryData)\\?"[ \t]*:[ \t]*\{([^{}]{1,65536}+)(?:\}|\z)"#,
            groups: [1], replacement: .jsonValues(RedactionReplacement.looksLikeBase64),
            mayMatch: RedactionPrecheck.containsIgnoringCase(["data"])
        ),
        RedactionRule(
            "kubernetes_secret", triggers: ["data"],
            #"\\?"stringData\\?"[ \t]*:[ \t]*\{([^{}]{1,65536}+)(?:\}|\z)"#,
            groups: [1], replacement: .jsonValues(RedactionReplacement.anyValue),
            mayMatch: RedactionPrecheck.containsIgnoringCase(["stringdata"])
        ),
        // Kubernetes env entries: the `value` after a `name` that is a secret key, in YAML
        // (`- name: DB_PASSWORD⏎  value: x`) and JSON (`{"name":"DB_PASSWORD","value":"x"}`).
        RedactionRule(
            "secret", triggers: secretTriggers,
            #"(?i)(?<![A-Za-z0-9_-])name[ \t]*:[ \t]*["']?[A-Za-z0-9_.-]*?"# + secretKey + notAReference
                + #"["']?[ \t]*\r?\n[ \t]*value[ \t]*:[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|"# + colonValue + ")",
            groups: [1, 2, 3], accepts: looksLikeValue, mayMatch: RedactionPrecheck.nameValuePair
        ),
        RedactionRule(
            "secret", triggers: secretTriggers,
            #"(?i)\\?"name\\?"[ \t]*:[ \t]*\\?"[A-Za-z0-9_.-]*?"# + secretKey + notAReference
                + #"\\?"[ \t]*,[ \t]*(?:\r?\n[ \t]*)?\\?"value\\?"[ \t]*:[ \t]*"# + doubleQuoted,
            groups: [1], accepts: looksLikeValue, mayMatch: RedactionPrecheck.nameValuePair
        ),
        // `key: value` starting a line (YAML, env files): the rest of the line, since a
        // passphrase may hold blanks. Within a sentence (`error: invalid token: signature is
        // invalid`) the rule below takes one word, so the error stays readable.
        RedactionRule(
            "secret", triggers: secretTriggers,
            #"(?im)^[ \t]*(?:-[ \t]+)?["']?[A-Za-z0-9_.-]*?"# + secretKey + notAReference + #"["']?[ \t]*:[ \t]+"# + colonValue,
            groups: [1], accepts: looksLikeValue, mayMatch: RedactionPrecheck.secretAssignment
        ),
        // `KEY=value`, `key: value`, `"key": "value"`. A quoted key is JSON or a dict, whose
        // bare value ends at `,`/`}`; a key in a query string (`?token=x&y=1`) ends at `&`.
        RedactionRule(
            "secret", triggers: secretTriggers,
            "(?i)(\(secretKey))\(notAReference)(?:"
                + #"(\\?["'])[ \t]*[:=][ \t]*(?:(?:\r?\n[ \t]*)?"# + doubleQuoted + "|" + singleQuoted + "|" + jsonBareValue + ")"
                + #"|[ \t]*[:=][ \t]*(?:"# + doubleQuoted + "|" + singleQuoted + ")"
                + #"|(?<=[?&][A-Za-z0-9_.-]{1,100})=([^\s"'&#\\]+)"#
                + #"|[ \t]*=[ \t]*"# + assignedValue
                + #"|[ \t]*:[ \t]*"# + assignedValue
                + ")",
            groups: [3, 4, 5, 6, 7, 8, 9, 10], accepts: looksLikeValue, mayMatch: RedactionPrecheck.secretAssignment
        ),
        // `--password VALUE`, `--db-password VALUE`, a YAML args list (`- --password⏎- VALUE`)
        // and a JSON one (`["--password", "VALUE"]`, also pretty-printed or escaped).
        RedactionRule(
            "secret", triggers: secretTriggers,
            #"(?i)(?<![A-Za-z0-9-])(--?(?:[a-z0-9]+-)*(?:password|passwd|passphrase|pass|pwd|token|secret|api-?key|secret-key))"#
                + #"(?:(?:[ \t]+|[ \t]*\r?\n[ \t]*-[ \t]+)([^\s-][^\s]*)|\\?"[ \t]*,[ \t]*(?:\r?\n[ \t]*)?\\?"([^\s"\\-][^"\\\r\n]*))"#,
            groups: [2, 3], accepts: looksLikeValue, mayMatch: RedactionPrecheck.secretFlag
        ),
        // `-p VALUE` of a registry login or sshpass, `-pVALUE` of mysql (`mysql -p db` prompts);
        // `-P` (sshpass's prompt, mysql's port) is another option.
        RedactionRule(
            "secret", triggers: ["login", "sshpass", "mysql"],
            #"(?i)(?<![A-Za-z0-9_-])(?:(?:(?:docker|podman|oc|buildah|skopeo|nerdctl|registry|argocd|cf)[ \t]+login|sshpass)(?:[ \t]+\S+){0,10}?[ \t]+(?-i:-p)[ \t]+|mysql(?:admin|dump)?(?:[ \t]+\S+){0,10}?[ \t]+(?-i:-p))([^\s-]\S*)"#,
            groups: [1], accepts: looksLikeValue, mayMatch: RedactionPrecheck.loginPassword
        ),
        // `curl -u user:password`, `--user`, `--proxy-user`.
        RedactionRule(
            "secret", triggers: ["curl"],
            #"(?i)(?<![A-Za-z0-9_-])curl(?:[ \t]+\S+){0,20}?[ \t]+(?:-u[ \t]*|--(?:proxy-)?user(?:[ \t]+|=))["']?[^\s:"']*:([^\s"']+)"#,
            groups: [1], accepts: looksLikeValue, mayMatch: RedactionPrecheck.curlUser
        ),
        RedactionRule("twilio_key", triggers: ["ac", "sk"], "(?<![A-Za-z0-9_-])(?:AC|SK)[0-9a-f]{32}(?![A-Za-z0-9_-])",
                      mayMatch: RedactionPrecheck.contains(["AC", "SK"])),
        RedactionRule("mailchimp_key", triggers: ["-us"], "(?<![A-Za-z0-9_-])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9_-])",
                      mayMatch: RedactionPrecheck.contains(["-us"])),
        RedactionRule(
            "high_entropy", triggers: ["key", "sig", "hmac", "salt", "cred", "session", "cookie", "auth", "dockerconfigjson", "dockercfg"],
            #"(?i)((?:key|sig|signature|hmac|salt|cred|session|cookie|auth|dockerconfigjson|dockercfg)[A-Za-z0-9_.-]*)(\\?["']?[ \t]*[:=][ \t]*\\?["']?)([A-Za-z0-9+/=_%]{20,})(?![A-Za-z0-9+/=_%.-])"#,
            groups: [3], accepts: looksRandom, mayMatch: RedactionPrecheck.highEntropyAssignment
        ),
        RedactionRule("high_entropy", triggers: [], RedactionRandomToken.quotedPattern, accepts: RedactionRandomToken.quotedAccepts,
                      mayMatch: RedactionRandomToken.quotedMayMatch),
        // Last: any long random token, whatever its vendor prefix (see `RedactionRandomToken`).
        RedactionRule("token", triggers: [], RedactionRandomToken.pattern, accepts: RedactionRandomToken.accepts,
                      mayMatch: RedactionRandomToken.mayMatch),
    ]

    static let secretTriggers = ["pass", "pwd", "secret", "token", "key", "credential"]
    static let gitlabPrefixes = ["glpat-", "glrt-", "gldt-", "glptt-", "glft-", "glsoat-", "gloas-", "glcbt-"]

    static let notRedacted: @Sendable (Substring) -> Bool = { !$0.hasPrefix("[REDACTED") }

    /// A value after a secret key, but not a placeholder, a flag or a small count.
    static let looksLikeValue: @Sendable (Substring) -> Bool = { v in
        guard !v.isEmpty, !v.hasPrefix("[REDACTED"), !v.hasPrefix("${"), !v.hasPrefix("$("), !v.hasPrefix("<") else { return false }
        // A block scalar's indicator (`password: |`): the value is on the lines below.
        if let first = v.first, first == "|" || first == ">", v.dropFirst().allSatisfy({ "+-0123456789".contains($0) }) { return false }
        if v.allSatisfy({ $0 == "*" || $0 == "x" || $0 == "X" }) { return false }
        if v.count < 8, v.allSatisfy(\.isNumber) { return false }
        // `file:12:5:` positions, not values.
        if v.allSatisfy({ $0.isNumber || $0 == ":" }) { return false }
        // `kubectl describe secret` shows sizes (`password:  16 bytes`), not values.
        if v.hasSuffix(" bytes"), v.dropLast(6).allSatisfy(\.isNumber) { return false }
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
