import Foundation
import Testing
@testable import Analysis

/// The redactor skips regexes with byte-level triggers and prechecks; that must never change
/// what it outputs. Compared here against the straightforward implementation it replaced
/// (every triggered rule's regex run over the whole text), on lines of every secret kind,
/// near misses and generated mixtures of their pieces.
@Suite("SecretRedactor equivalence")
struct SecretRedactorEquivalenceTests {
    let redactor = SecretRedactor()

    @Test func sameOutputAsTheReferenceOnTheCorpus() {
        var differences: [String] = []
        for text in Self.corpus {
            let expected = ReferenceRedactor.redact(text)
            let actual = redactor.redact(text)
            if actual != expected { differences.append("\(text.debugDescription)\n  want \(expected.debugDescription)\n  got  \(actual.debugDescription)") }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(Self.corpus.count) differ:\n\(differences.prefix(10).joined(separator: "\n"))")
    }

    /// Stricter than equal output: wherever a precheck rejects ASCII text, the rule's regex
    /// finds nothing at all (not merely nothing the rule accepts). A rule without triggers
    /// has an exact precheck (its regex matches runs; the check is whether one is accepted):
    /// there, no match the rule accepts.
    @Test func prechecksRejectOnlyTextTheRegexCannotMatch() {
        var misses: [String] = []
        for text in Self.corpus where text.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(text.utf8)
            for rule in RedactionRule.all where !bytes.withUnsafeBufferPointer(rule.mayMatch) {
                let ns = text as NSString
                let matches = rule.regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
                let found = rule.triggers.isEmpty
                    ? matches.contains { rule.accepts(Substring(ns.substring(with: $0.range))) }
                    : !matches.isEmpty
                if found {
                    misses.append("\(rule.kind): \(text.debugDescription)")
                }
            }
        }
        #expect(misses.isEmpty, "\(misses.count) wrongly rejected:\n\(misses.prefix(10).joined(separator: "\n"))")
    }

    /// Redacting a redacted text changes nothing (markers are never taken for values).
    @Test func redactingTwiceChangesNothing() {
        let changed = Self.secrets.filter { text in
            let once = redactor.redact(text)
            return redactor.redact(once) != once
        }
        #expect(changed.isEmpty, "\(changed)")
    }

    @Test func corpusRedactsEverySecretKind() {
        let kinds = Set(RedactionRule.all.map(\.kind))
        let seen = Set(Self.corpus.map(redactor.redact).flatMap { out in kinds.filter { out.contains("[REDACTED:\($0)]") } })
        #expect(seen == kinds, "never redacted: \(kinds.subtracting(seen).sorted())")
    }

    // MARK: - Corpus

    static let secrets: [String] = [
        "TWILIO_SID=AC0123456789abcdef0123456789abcdef and SK0123456789abcdef0123456789abcdef",
        "mailchimp 0123456789abcdef0123456789abcdef-us12",
        "data:\n  tls.key: TFMwdExTMUNSVWRKVGlCU1UwRT0=\nstringData:\n  note: plain\n",
        #"{"data":{"ca.crt":"TFMwdExTMUNSVWRKVGlCU1UwRT0="},"stringData":{"a":"b"}}"#,
        "db:\n  password: |\n    line-one\n    line-two\n  DB_PASS=x1 MYSQL_PWD=y2 dbPass: z3",
        "release dckr_pat_eGyPST6WXl2F_RwoEj3JMQV06UT and sq0csp-4G_yNQY6zxPO-mmgOm0hfvX_hwdDLyx50X_7Ke7fwK5",
        "aws key AKIAIOSFODNN7EXAMPLE in use",
        "xAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPL ASIAIOSFODNN7EXAMPLEX akiaiosfodnn7example",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "aws_secret_key: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\" secretAccessKey='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE'",
        "push with ghp_16C7e42F292c6912E7710c838347Ae178B4a ok",
        "oauth gho_16C7e42F292c6912E7710c838347Ae178B4a GHP_16C7e42F292c6912E7710c838347Ae178B4a",
        "pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "CI uses glpat-xxxxxxxxxxxxxxxxxxxx1234 and GLPAT-xxxxxxxxxxxxxxxxxxxx1234",
        "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "post to https://hooks.slack.com/services/T000/B000/XXXXXXXX done",
        "jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "Authorization: Bearer abc.def-ghi_jkl",
        "authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Proxy-Authorization=\"Token abcdef\"; next",
        "curl -H 'Authorization: [REDACTED:authorization]'",
        "Bearer abcdefghijklmnopqrstuvwxyz012345 and bearer\tshort",
        "Cookie: session=abc123; theme=dark",
        "Set-Cookie : id=a3fWa; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        "cloning https://builder:s3cr3tPass@git.example.com/x.git",
        "git+ssh://deploy:hunter2@host:22/repo http://user@host http://a:b@c:d@e",
        #"{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZA=="}}}"#,
        "DB_PASSWORD=correct-horse-battery",
        "password: hunter2",
        #"{"password": "my secret pass", "user": "bob"}"#,
        "client_secret = 'abcDEF123'",
        "api_key: 9f8e7d6c5b4a",
        "token=abcdef123456",
        "docker login --password s3cr3t registry",
        "run -token abc --api-key k3y --client-secret=zzz --secret -x",
        "signing_key: Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0",
        "hmacSecret='Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0Zx8K' session_id=aaaaaaaaaaaaaaaaaaaaaaaa",
        "key follows\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\ndone",
        "-----BEGIN RSA PRIVATE KEY----- cut here",
        "export API_TOKEN=abcdef123456 && run",
        "password=hunter22 token=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        // Kubernetes env and args, YAML and JSON (also escaped and pretty-printed).
        "env:\n- name: DB_PASSWORD\n  value: hunter2hunter2",
        "  - name: \"API_TOKEN\"\r\n    value: 'hunter2hunter2'\n  - name: SECRET_REF\n    value: x\n- name: DB_HOST\n  value: db",
        #"{"name":"DB_PASSWORD","value":"hunter2hunter2"} {\"name\": \"client_secret\", \"value\": \"abc\\\"def\"}"#,
        "{\n  \"name\": \"API_KEY\",\n  \"value\": \"hunter2hunter2\"\n}",
        "args:\n- --password\n- hunter2hunter2\n- --token\r\n  -\tabc\n- --secret\n- -x",
        #""args":["--db-password","hunter2hunter2","--port","5432"] [\"--token\", \"abc\"] ["--secret", "-x", "--token",""]"#,
        "\"args\": [\n  \"--token\",\r\n  \"hunter2hunter2\"\n] \"--password\" , \n \"x\u{0B}\"",
        // Private keys: PGP, and a body whose BEGIN line was cut off.
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGM0aZ8BCADKk5p3r1wq9xYz\n=Zx8K\n-----END PGP PRIVATE KEY BLOCK-----",
        "MIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8Z\n  kY0Q2V9s1gk==\r\n -----END RSA PRIVATE KEY-----\ndone",
        "tail\nabc def\nFv0u0x1rj7b9\n-----END OPENSSH PRIVATE KEY----- -----END X PRIVATE KEY",
        // JSON-escaped values.
        #"{"msg":"request body {\"password\":\"hunter2hunter2\"}"}"#,
        #"{\"auths\":{\"q\":{\"auth\":\"Ym90Omh1bnRlcjI=\"}}} \"auth\": \"x\""#,
        #"{\"aws_secret_access_key\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"} {\"env\":\"DB_PASSWORD=hunter2\"}"#,
        #"{\"signing_key\":\"Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0\"}"#,
        // Go header maps.
        "map[Authorization:[Bearer sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg] Accept:[*/*]]",
        "map[Authorization:[Basic Ym90Omh1bnRlcjI=] Proxy-Authorization:[REDACTED:x]]",
        // Command lines.
        "oc login -u kubeadmin -p Xk2j9sLmQzz https://api.example:6443",
        "docker login -u bot -p hunter2hunter2 && sshpass -p pw ssh x && mysql -u root -phunter2 db && mysql -p db",
        "helm push --registry-password hunter2hunter2 --db-password s3cr3t --auth-token abcdef0123456789",
        "curl -u admin:hunter2hunter2 https://x; curl -fsS --user admin:hunter2 https://x; curl --proxy-user=a:b -Uc:d",
        "mkdir -p /tmp/x && cp -p a b; login failed; retry with mkdir -p /tmp/x; app --password-file /run/secret",
        // URL credentials.
        "connect redis://:hunter2hunter2@redis:6379/0 failed",
        "clone https://0123456789abcdef0123456789abcdef01234567@gitea.example.com/org/repo.git",
        "fetch https://user:pa/ss@host/x http://localhost:8080/users/john@example.com https://gitea.example.com/org/repo.git",
        // Values that run past `,;&` and blanks.
        "DB_PASSWORD=p@ss,w0rd;XYZ&1",
        "password: correct horse battery staple  \nuser: bob",
        "GET /cb?access_token=abc123def456&next=%2F HTTP/1.1 &token=x#y",
        #"{"password":"x1y2z3", "next":"value"} Config{password=hunter2, user=bob} env "DB_PASSWORD=hunter2" set"#,
        // Token shapes.
        "oc token sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg used",
        "npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 pypi-AgEIcHlwaS5vcmcCJGFiY2RlZjAxLTIzNDUtNjc4OS1hYmNkLWVmMDEyMzQ1Njc4OQ",
        "sk-proj-Ab12Cd34Ef56Gh78Ij90KlMn hvs.CAESIJ1a2b3c4d5e6f7g8h9i0jKLMNOPqrstuvwx AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW",
        "glrt-Ab12Cd34Ef56Gh78Ij90Kl gldt-Ab12Cd34Ef56Gh78Ij90Kl xapp-1-A0123456789-1234567890123-abcdef0123456789",
        "  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiWW05ME9taDFiblJsY2pJPSJ9fX0=",
    ]

    /// Values at a pattern's minimum length and control bytes inside values, where a precheck
    /// one byte too strict would show.
    static let boundaries: [String] = [
        "Bearer abcdefghijklmnop", "Bearer abcdefghijklmno", "bearer \tabcdefghijklmnop=",
        "signing_key: Zx8Kq2LmN4pR7sT1vW3y", "signing_key: Zx8Kq2LmN4pR7sT1vW3", "sig=\"Zx8Kq2LmN4pR7sT1vW3y\"",
        "https://u:p\u{0B}q@host", "https://u\u{0B}v:pq@host", "https://u:p\u{0C}q@host", "https://u:p\u{1F}q@host",
        "--password \u{0B}abc", "--password \u{0C}abc", "--token \u{1C}abc", "password=\u{0B}abcdef1234",
        "Authorization:\u{0B}abc", "Cookie:\u{0B}x", "passwd\u{0B}=abc12345", "api_key\t=\tabc12345",
        "sk-Ab12Cd34Ef56Gh78Ij90", "sk-Ab12Cd34Ef56Gh78Ij9", "https://0123456789abcdefABCD@h", "https://0123456789abcdefABC@h",
        "--password\n-\u{0B}abc", "--password\n- \u{0B}abc", "--token\r\n\t- x", "--token\n\n- x", "--token \n- x",
        "https://:p@h", "https://u:/p@h", "https://u:1/p@h", "https://u:p/@h", "https://u:p\u{0B}/q@h", "password:\u{0B}abc def", "password=a\u{0B}b",
        "name\u{0B}: DB_PASSWORD\n value: x", "name: DB_PASSWORD\n\u{0B}value: x", "name: DB_PASSWORD\r\nvalue:\u{0B}x",
        "\\\"name\\\":\\\"DB_PASSWORD\\\",\n\\\"value\\\":\\\"x\\\"", "\"name\"\u{0B}:\"DB_PASSWORD\",\"value\":\"x\"",
        "ab\n-----END RSA PRIVATE KEY-----", "ab\n\u{0B}-----END RSA PRIVATE KEY-----", "ab \n-----END RSA PRIVATE KEY-----",
        "ab\r\n\t-----END RSA PRIVATE KEY BLOCK-----", "ab\n-----END RSA PRIVATE KEY BLOCK", "ab\n-----END RSA PRIVATE-KEY-----",
        "docker login -p\u{0B}x", "oc login\u{0B}-p x", "mysql -p\u{0B}x", "curl -u\u{0B}a:b", "curl\u{0B}-u a:b", "curl -u a:\u{0B}b",
        "\\\"auth\\\" : \\\"x\\\"", "\\\"auth\\\":\"x\"", "\"auth\\\":\"x\"",
        "--token\",\"\u{0B}x", "--token\"\u{0B},\"x", "--token\",\n\n\"x", "--token\" ,\r\"x", "--token\\\",\\\"x",
    ]

    static let ordinary: [String] = [
        "commit 4e8932e579d2e085ea2d9e6e88035d1ad0ad16a6 (HEAD -> main)",
        "/home/runner/work/app/src/main/java/com/example/TokenService.java:[42,13] cannot find symbol",
        "internal/command/cliconfig/credentials_test.go:88:9: undefined: os",
        "The password policy requires at least 12 characters.",
        "Enter password:",
        "docker login --password-stdin registry.example.com",
        "Tests run: 12, Failures: 0, Errors: 0, Skipped: 0, passed: 12",
        "secret: ${{ secrets.DEPLOY_KEY }}",
        "password: true",
        "max_tokens=1000",
        "see https://github.com/org/repo/blob/main/README.md#tokens",
        "Downloading from central: https://repo.maven.apache.org/maven2/org/apache/maven/maven-core/3.0/maven-core-3.0.pom",
        "author: Jane Doe <jane@example.com>",
        "secretName: registry-credentials",
        "tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
        "password_policy: strict",
        "Unexpected token: } at line 3",
        "monkey: banana keyboard=qwerty design=signal",
        "",
        " ",
    ]

    /// Pieces the generated texts are made of: key words, separators, values, URL parts and
    /// bytes where byte-level and ICU rules could disagree (control and non-ASCII characters).
    static let pieces: [String] = [
        "password", "PassWord", "passwd", "passphrase", "secret", "client_secret", "client-secret", "token", "Token",
        "api_key", "api-key", "apikey", "access_key", "accessKey", "private-key", "auth_key", "credentials", "credential",
        "key", "KEY", "sig", "signature", "hmac", "salt", "cred", "session", "cookie", "Set-Cookie", "auth", "AUTH",
        "authorization", "Proxy-Authorization", "bearer", "Bearer", "basic", "aws_secret_access_key", "secretaccesskey",
        "name", "Ref", "file", "_id", ".go", ".txt", "://", "https://", "git+ssh://", "user", "builder", "@", "host",
        ":", "=", "==", " ", "  ", "\t", "\"", "'", "-", "--", "_", ".", "/", ",", ";", "&", "{", "}", "(", ")", "]",
        "value", "hunter2", "s3cr3tPass", "true", "none", "12345", "12:5:", "xxxxxxxx", "${X}", "$(cmd)", "<pw>",
        "Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0", "abcdefghijklmnop", "aaaaaaaaaaaaaaaaaaaaaaaa", "dXNlcjpwYXNzd29yZA==", "%2F%3D",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE", "ASIA", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0123456789_abc", "glpat-xxxxxxxxxxxxxxxxxxxx1234", "xoxb-1234567890", "xox",
        "eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxIn0.", "hooks.slack.com/services/T0/B0", "\"auth\"", "[REDACTED:secret]",
        "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "PRIVATE KEY", "\n", "\r\n", "\r",
        "-----END PGP PRIVATE KEY BLOCK-----", "\\\"", "\\", "[", "?", "name", "name: ", "value", "\"value\":", "- ",
        "\n- ", "--db-password", "-p", " -p ", "login", "docker login", "sshpass", "mysql", "curl", " -u ", "--user=",
        "sha256~", "npm_", "pypi-AgE", "sk-", "hvs.", "AIza", "glrt-", "xapp-", ".dockerconfigjson", "MIIEowIBAAKCAQEA7bq8h2lM3kq9",
        "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2003}", "ſ", "\u{212A}", "é", "ß", "…", "🔑", "\u{FB06}",
    ]

    /// Key words × separators × values, then seeded random mixtures of the pieces.
    static let corpus: [String] = {
        var texts = secrets + boundaries + ordinary
        let keys = ["password", "DB_PASSWORD", "secret", "api-key", "apiKey", "authkey", "token", "signing_key", "sigV4",
                    "hmac", "session_id", "cookie", "authorization", "bearer", "--password", "-token", "credentials", "tokenName",
                    "?token", "&db_password", "\\\"password\\\"", "- name: DB_PASSWORD\n  value", "\"name\":\"API_KEY\",\"value\"",
                    "--db-password", "docker login -p", "curl -u a", ".dockerconfigjson", "redis://", "https://u", "map[Authorization"]
        let separators = ["=", ": ", " = ", "\":\"", "' = '", "\t:\t", " ", ":\u{0B}", "=\"", "::", "\\\":\\\"", ":[", "\n- ", "\n  - ", "@"]
        let values = ["hunter2", "Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0", "abcdefghijklmnopqrstuvwx", "true", "123", "${SECRET}",
                      "\"quoted value\"", "'single'", "-flag", "[REDACTED:secret]", "ſecret1234567890123456", "é9f8e7d6c5b4a3f2e1d0c",
                      "p@ss,w0rd;XYZ&1", "correct horse battery  ", "a\\\"b\\\"", "x}, y", "@host", "[Bearer abcdefghijklmnop0123]"]
        for key in keys {
            for separator in separators {
                for value in values { texts.append("set \(key)\(separator)\(value) end") }
            }
        }
        var random = SplitMix64(seed: 0x5EC2E7)
        for _ in 0..<8000 {
            let count = 1 + Int(random.next() % 10)
            texts.append((0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
        }
        return texts
    }()
}

/// Deterministic generator for the corpus (the same texts on every run).
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The redactor as it was before its prechecks: every rule with a trigger in the text runs
/// its regex over the whole (partly redacted) text.
private enum ReferenceRedactor {
    static func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let out = NSMutableString(string: text)
        for rule in RedactionRule.all {
            let triggered = rule.triggers.isEmpty || bytes.withUnsafeBufferPointer { buf in
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
                out.replaceCharacters(in: range, with: rule.replaced(Substring(out.substring(with: range))))
            }
        }
        return out as String
    }
}
