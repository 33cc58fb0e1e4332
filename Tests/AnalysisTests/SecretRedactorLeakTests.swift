import Testing
@testable import Analysis

/// Leaks a review found: each input once passed the redactor (or the excerpt) unchanged or
/// half redacted. The secret must be gone and the context around it still readable.
@Suite("SecretRedactor leaks")
struct SecretRedactorLeakTests {
    let redactor = SecretRedactor()

    private func excerpt(_ lines: [String]) -> String {
        var log = lines
        log.append("error: deploy failed: pod crashed")
        return LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 2000).text
    }

    // MARK: 1. Kubernetes env and args

    @Test(arguments: [
        ("env:\n- name: DB_PASSWORD\n  value: hunter2hunter2", "env:\n- name: DB_PASSWORD\n  value: [REDACTED:secret]"),
        ("    env:\n      - name: GITHUB_TOKEN\n        value: \"hunter2hunter2\"\n      - name: X\n",
         "    env:\n      - name: GITHUB_TOKEN\n        value: \"[REDACTED:secret]\"\n      - name: X\n"),
        (#"{"name":"DB_PASSWORD","value":"hunter2hunter2"}"#, #"{"name":"DB_PASSWORD","value":"[REDACTED:secret]"}"#),
        ("{\n  \"name\": \"API_KEY\",\n  \"value\": \"hunter2hunter2\"\n}", "{\n  \"name\": \"API_KEY\",\n  \"value\": \"[REDACTED:secret]\"\n}"),
        ("args:\n- --password\n- hunter2hunter2\n- --verbose", "args:\n- --password\n- [REDACTED:secret]\n- --verbose"),
        (#""args":["--db-password","hunter2hunter2","--port","5432"]"#, #""args":["--db-password","[REDACTED:secret]","--port","5432"]"#),
        ("\"args\": [\n  \"--token\",\n  \"hunter2hunter2\"\n]", "\"args\": [\n  \"--token\",\n  \"[REDACTED:secret]\"\n]"),
    ])
    func kubernetesEnvAndArgs(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    @Test func kubernetesEnvAndArgsInExcerpts() {
        let text = excerpt([
            "env:", "- name: DB_PASSWORD", "  value: hunter2hunter2",
            "  \"name\": \"API_TOKEN\",", "  \"value\": \"tok3ntok3ntok3n\"",
            "args:", "- --password", "- pa55pa55pa55",
            "  \"args\": [", "    \"--token\",", "    \"t0kt0kt0kt0k\"", "  ]",
        ])
        #expect(!text.contains("hunter2hunter2"))
        #expect(!text.contains("tok3ntok3ntok3n"))
        #expect(!text.contains("pa55pa55pa55"))
        #expect(!text.contains("t0kt0kt0kt0k"))
        #expect(text.contains("- name: DB_PASSWORD"))
        #expect(text.contains("value: [REDACTED:secret]"))
        #expect(text.contains("- --password"))
    }

    // MARK: 2. Private keys

    @Test func pgpKeyBodiesAreMaskedInExcerpts() {
        let text = excerpt([
            "-----BEGIN PGP PRIVATE KEY BLOCK-----", "",
            "lQOYBGM0aZ8BCADKk5p3r1wq9xYz0123456789abcdefABCDEFghijklmnopqrstu",
            "=Zx8K", "-----END PGP PRIVATE KEY BLOCK-----",
        ])
        #expect(!text.contains("lQOYBGM0aZ8BCADKk5p3r1wq9xYz"))
        #expect(!text.contains("=Zx8K"))
        #expect(text.contains("[REDACTED:private_key]"))
    }

    @Test func aKeyCutAboveItsBodyIsMaskedInExcerpts() {
        let text = excerpt([
            "MIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8ZkY0Q2V9s1gkAbCdEf",
            "kY0Q2V9s1gkMIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8Zkq9aZ2",
            "Fv0u0x1rj7b9==",
            "-----END RSA PRIVATE KEY-----",
            "deploying",
        ])
        #expect(!text.contains("MIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8ZkY0Q2V9s1gk"))
        #expect(!text.contains("kY0Q2V9s1gkMIIEowIBAAKCAQEA"))
        #expect(!text.contains("Fv0u0x1rj7b9=="))
        #expect(text.contains("[REDACTED:private_key]"))
        #expect(text.contains("deploying"))
    }

    @Test func aKeyCutAboveItsBodyIsRedactedInWholeTexts() {
        let text = "MIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8ZkY0Q2V9s1gkAbCdEf\n"
            + "  kY0Q2V9s1gkMIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8Zkq9aZ2\nFv0u0x1rj7b9==\n"
            + "-----END RSA PRIVATE KEY-----\ndone"
        #expect(redactor.redact(text) == "[REDACTED:private_key]\n-----END RSA PRIVATE KEY-----\ndone")
        let pgp = "log tail\nlQOYBGM0aZ8BCADKk5p3r1wq9xYz0123456789abcdef\r\n=Zx8K\r\n-----END PGP PRIVATE KEY BLOCK-----"
        #expect(redactor.redact(pgp) == "log tail\n[REDACTED:private_key]\r\n-----END PGP PRIVATE KEY BLOCK-----")
    }

    // MARK: 3. JSON-escaped secrets

    @Test(arguments: [
        (#"{"msg":"request body {\"password\":\"hunter2hunter2\"}"}"#, #"{"msg":"request body {\"password\":\"[REDACTED:secret]\"}"}"#),
        (#"{\"auths\":{\"q\":{\"auth\":\"Ym90Omh1bnRlcjI=\"}}}"#, #"{\"auths\":{\"q\":{\"auth\":\"[REDACTED:docker_auth]\"}}}"#),
        (#"{\"aws_secret_access_key\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}"#,
         #"{\"aws_secret_access_key\":\"[REDACTED:aws_secret_access_key]\"}"#),
        (#"{\"env\":\"DB_PASSWORD=hunter2hunter2\"}"#, #"{\"env\":\"DB_PASSWORD=[REDACTED:secret]\"}"#),
    ])
    func jsonEscapedSecrets(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    // MARK: 4. Go header dumps

    @Test func goHeaderDumpWithAnOpenShiftToken() {
        let out = redactor.redact("map[Authorization:[Bearer sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg] Accept:[*/*]]")
        #expect(!out.contains("AbCdEfGhIjKlMnOpQrStUvWxYz"), "leaked in: \(out)")
        #expect(out.hasPrefix("map[Authorization:[Bearer [REDACTED:"), "got: \(out)")
        #expect(out.hasSuffix("] Accept:[*/*]]"), "got: \(out)")
    }

    @Test(arguments: [
        ("map[Authorization:[Bearer zz-AbCdEfGhIjKl.MnOp_QrSt~1234] Accept:[*/*]]",
         "map[Authorization:[Bearer [REDACTED:authorization]] Accept:[*/*]]"),
        ("map[Authorization:[Basic Ym90Omh1bnRlcjI=] User-Agent:[Go-http-client/1.1]]",
         "map[Authorization:[Basic [REDACTED:authorization]] User-Agent:[Go-http-client/1.1]]"),
    ])
    func goHeaderDumps(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    // MARK: 5. Command lines

    @Test(arguments: [
        ("oc login -u kubeadmin -p Xk2j9sLmQzz https://api.example:6443", "oc login -u kubeadmin -p [REDACTED:secret] https://api.example:6443"),
        ("docker login -u bot -p hunter2hunter2", "docker login -u bot -p [REDACTED:secret]"),
        ("sshpass -p hunter2hunter2 ssh deploy@host", "sshpass -p [REDACTED:secret] ssh deploy@host"),
        ("mysql -u root -phunter2hunter2 app", "mysql -u root -p[REDACTED:secret] app"),
        ("sshpass -P assphrase -p hunter2hunter2 ssh x", "sshpass -P assphrase -p [REDACTED:secret] ssh x"),
        ("helm push --registry-password hunter2hunter2 chart", "helm push --registry-password [REDACTED:secret] chart"),
        ("migrate --db-password s3cr3t-pw up", "migrate --db-password [REDACTED:secret] up"),
        ("cli --auth-token abcdef0123456789 run", "cli --auth-token [REDACTED:secret] run"),
        ("curl -u admin:hunter2hunter2 https://x", "curl -u admin:[REDACTED:secret] https://x"),
        ("curl -fsS --user admin:hunter2 https://x", "curl -fsS --user admin:[REDACTED:secret] https://x"),
    ])
    func commandLineSecrets(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    // MARK: 6. URL credentials

    @Test(arguments: [
        ("connect redis://:hunter2hunter2@redis:6379/0 failed", "connect redis://:[REDACTED:url_password]@redis:6379/0 failed"),
        ("clone https://0123456789abcdef0123456789abcdef01234567@gitea.example.com/org/repo.git",
         "clone https://[REDACTED:url_password]@gitea.example.com/org/repo.git"),
        ("fetch https://user:pa/ss@host/x", "fetch https://user:[REDACTED:url_password]@host/x"),
    ])
    func urlCredentials(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    // MARK: 7. Values cut short

    @Test(arguments: [
        ("DB_PASSWORD=p@ss,w0rd;XYZ&1", "DB_PASSWORD=[REDACTED:secret]"),
        ("password: correct horse battery staple", "password: [REDACTED:secret]"),
        ("password: correct horse battery staple  \nuser: bob", "password: [REDACTED:secret]  \nuser: bob"),
        ("GET /cb?access_token=abc123def456&next=%2F HTTP/1.1", "GET /cb?access_token=[REDACTED:secret]&next=%2F HTTP/1.1"),
        (#"{"password":"x1y2z3", "next":"value"}"#, #"{"password":"[REDACTED:secret]", "next":"value"}"#),
        ("Config{password=hunter2, user=bob}", "Config{password=[REDACTED:secret], user=bob}"),
        ("env \"DB_PASSWORD=hunter2\" set", "env \"DB_PASSWORD=[REDACTED:secret]\" set"),
    ])
    func wholeValues(input: String, expected: String) {
        #expect(redactor.redact(input) == expected)
    }

    // MARK: 8. Token shapes

    @Test(arguments: [
        ("oc token sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg used", "sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg", "openshift_token"),
        ("//registry.npmjs.org/:_authToken npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "npm_token"),
        ("upload pypi-AgEIcHlwaS5vcmcCJGFiY2RlZjAxLTIzNDUtNjc4OS1hYmNkLWVmMDEyMzQ1Njc4OQ ok",
         "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZjAxLTIzNDUtNjc4OS1hYmNkLWVmMDEyMzQ1Njc4OQ", "pypi_token"),
        ("OPENAI sk-proj-Ab12Cd34Ef56Gh78Ij90KlMn used", "sk-proj-Ab12Cd34Ef56Gh78Ij90KlMn", "api_key"),
        ("vault hvs.CAESIJ1a2b3c4d5e6f7g8h9i0jKLMNOPqrstuvwx used", "hvs.CAESIJ1a2b3c4d5e6f7g8h9i0jKLMNOPqrstuvwx", "vault_token"),
        ("maps AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW ok", "AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUvW", "google_api_key"),
        ("runner glrt-Ab12Cd34Ef56Gh78Ij90Kl ok", "glrt-Ab12Cd34Ef56Gh78Ij90Kl", "gitlab_token"),
        ("deploy gldt-Ab12Cd34Ef56Gh78Ij90Kl ok", "gldt-Ab12Cd34Ef56Gh78Ij90Kl", "gitlab_token"),
        ("socket xapp-1-A0123456789-1234567890123-abcdef0123456789 ok", "xapp-1-A0123456789-1234567890123-abcdef0123456789", "slack_token"),
        ("  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiWW05ME9taDFiblJsY2pJPSJ9fX0=",
         "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiWW05ME9taDFiblJsY2pJPSJ9fX0=", "high_entropy"),
    ])
    func tokenShapes(input: String, secret: String, kind: String) {
        let out = redactor.redact(input)
        #expect(!out.contains(secret), "leaked in: \(out)")
        #expect(out.contains("[REDACTED:\(kind)]"), "got: \(out)")
    }

    // MARK: False positives

    @Test(arguments: [
        "mkdir -p /tmp/x && cp -p a b",
        "login failed; retry with mkdir -p /tmp/x",
        "mysql -u root -p appdb < dump.sql",
        "env:\n- name: DB_HOST\n  value: db.example",
        "- name: DB_PASSWORD_FILE\n  value: /run/secrets/db",
        "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password",
        "app --password-file /run/secret/db",
        #"{"name":"build","value":"ok","status":"passed","count":3}"#,
        "clone https://gitea.example.com/org/repo.git",
        "ssh://git@gitea.example.com:2222/org/repo.git",
        "GET http://localhost:8080/users/john@example.com",
        "docker run -u 1000:1000 image",
        "task-runner sk-learn-tutorial-notebooks",
        "- item one\n- item two",
        "curl -sS https://x/api",
        "password:  16 bytes",
    ])
    func leavesOrdinaryTextAlone(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func excerptKeepsOrdinaryListsAndValues() {
        let text = excerpt(["env:", "- name: DB_HOST", "  value: db.example", "steps:", "- build", "- test"])
        #expect(text.contains("value: db.example"))
        #expect(text.contains("- build"))
    }

    @Test(arguments: [
        "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
        "google.auth.exceptions.DefaultCredentialsError: Could not automatically determine credentials",
        "TokenExpiredError: jwt expired",
        "jwt.exceptions.InvalidTokenError: Not enough segments",
        "SecretNotFoundException: secret db-creds not found",
        "PasswordFailed: wrong password for user admin",
    ])
    func exceptionMessagesStayReadable(line: String) {
        // The failure line itself: the class name is no secret key, its message no value.
        #expect(redactor.redact(line) == line)
    }

    @Test func anErrorSentenceKeepsItsWordsAfterTheOneItHides() {
        // Only a key that starts the line (YAML) takes the rest of the line; in a sentence
        // the error stays readable for the model.
        #expect(redactor.redact("Error: invalid token: signature is invalid") == "Error: invalid token: [REDACTED:secret] is invalid")
        #expect(redactor.redact("  - DB_PASSWORD: hunter2 hunter3") == "  - DB_PASSWORD: [REDACTED:secret]")
    }
}
