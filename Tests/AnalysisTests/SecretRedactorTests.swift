import Testing
@testable import Analysis

@Suite("SecretRedactor")
struct SecretRedactorTests {
    let redactor = SecretRedactor()

    @Test(arguments: [
        ("aws key AKIAIOSFODNN7EXAMPLE in use", "AKIAIOSFODNN7EXAMPLE", "aws_access_key_id"),
        ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"),
        ("push with ghp_16C7e42F292c6912E7710c838347Ae178B4a ok", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "github_token"),
        ("oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "github_token"),
        ("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_token"),
        ("CI uses glpat-xxxxxxxxxxxxxxxxxxxx1234", "glpat-xxxxxxxxxxxxxxxxxxxx1234", "gitlab_token"),
        ("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack_token"),
        ("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "jwt"),
        ("Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl", "authorization"),
        ("authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA==", "authorization"),
        ("cloning https://builder:s3cr3tPass@git.example.com/x.git", "s3cr3tPass", "url_password"),
        (#"{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZA=="}}}"#, "dXNlcjpwYXNzd29yZA==", "docker_auth"),
        ("DB_PASSWORD=correct-horse-battery", "correct-horse-battery", "secret"),
        ("password: hunter2", "hunter2", "secret"),
        (#"{"password": "my secret pass", "user": "bob"}"#, "my secret pass", "secret"),
        ("client_secret = 'abcDEF123'", "abcDEF123", "secret"),
        ("api_key: 9f8e7d6c5b4a", "9f8e7d6c5b4a", "secret"),
        ("token=abcdef123456", "abcdef123456", "secret"),
        ("docker login --password s3cr3t registry", "s3cr3t", "secret"),
        ("signing_key: Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0", "Zx8Kq2LmN4pR7sT1vW3yB6dF9hJ0", "high_entropy"),
    ])
    func redactsEachKind(input: String, secret: String, kind: String) {
        let out = redactor.redact(input)
        #expect(!out.contains(secret), "leaked in: \(out)")
        #expect(out.contains("[REDACTED:\(kind)]"), "got: \(out)")
    }

    @Test func redactsMultiLinePrivateKeyBlocks() {
        let text = """
        key follows
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDp7mYl0AAAAA
        -----END OPENSSH PRIVATE KEY-----
        done
        """
        let out = redactor.redact(text)
        #expect(out == "key follows\n[REDACTED:private_key]\ndone")
    }

    @Test func keepsTheKeyAndRedactsOnlyTheValue() {
        #expect(redactor.redact("export API_TOKEN=abcdef123456 && run") == "export API_TOKEN=[REDACTED:secret] && run")
        #expect(redactor.redact("Authorization: Bearer abcdefghijklmnop") == "Authorization: Bearer [REDACTED:authorization]")
    }

    @Test(arguments: [
        "commit 4e8932e579d2e085ea2d9e6e88035d1ad0ad16a6 (HEAD -> main)",
        "request 123e4567-e89b-12d3-a456-426614174000 finished in 12ms",
        "/home/runner/work/app/src/main/java/com/example/TokenService.java:[42,13] cannot find symbol",
        "internal/command/cliconfig/credentials_test.go:88:9: undefined: os",
        "The password policy requires at least 12 characters.",
        "Enter password:",
        "docker login --password-stdin registry.example.com",
        "Tests run: 12, Failures: 0, Errors: 0, Skipped: 0",
        "secret: ${{ secrets.DEPLOY_KEY }}",
        "password: true",
        "max_tokens=1000",
        "see https://github.com/org/repo/blob/main/README.md#tokens",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile",
        "author: Jane Doe <jane@example.com>",
        "sha256:df9b9388f04ad6279a7410b85cedfdcb2208c0a003da7ab5613af71079148139",
        "secretName: registry-credentials",
        "tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
        "password_policy: strict",
    ])
    func leavesOrdinaryLinesAlone(line: String) {
        #expect(redactor.redact(line) == line)
    }

    @Test func redactionIsIdempotent() {
        let once = redactor.redact("password=hunter22 token=ghp_16C7e42F292c6912E7710c838347Ae178B4a")
        #expect(redactor.redact(once) == once)
    }
}

/// Secrets the line rules missed: short key words, values on the lines below their key.
@Suite("SecretRedactor multi-line and short keys")
struct SecretRedactorMultiLineTests {
    let redactor = SecretRedactor()

    @Test(arguments: [
        ("DB_PASS=Zq8s2kLm0x", "Zq8s2kLm0x"),
        ("MYSQL_PWD='Zq8s2kLm0x' mysql -u app", "Zq8s2kLm0x"),
        ("smtp.pass: Zq8s2kLm0x", "Zq8s2kLm0x"),
        ("{\"dbPass\": \"Zq8s2kLm0x\"}", "Zq8s2kLm0x"),
        ("+ migrate --db-pass Zq8s2kLm0x", "Zq8s2kLm0x"),
    ])
    func shortPasswordKeys(input: String, secret: String) {
        let out = redactor.redact(input)
        #expect(!out.contains(secret), "leaked in: \(out)")
    }

    @Test(arguments: [
        "--- PASS: TestPasswordHashing (0.01s)",
        "PWD=/workspace/source",
        "tests_passed: 12",
        "DB_PASS_FILE=/run/secrets/db",
        "bypass: enabled",
    ])
    func wordsThatAreNoPasswordKeysStay(line: String) {
        #expect(redactor.redact(line) == line)
    }

    @Test func blockScalarUnderASecretKey() {
        let text = "config:\n  password: |\n    first-line-Zq8s\n    second-line-Xk2p\n  user: app\n  token: >-\n    folded-Mn4r\n  region: eu"
        let out = redactor.redact(text)
        for secret in ["first-line-Zq8s", "second-line-Xk2p", "folded-Mn4r"] { #expect(!out.contains(secret), "\(out)") }
        #expect(out.contains("  user: app") && out.contains("  region: eu") && out.contains("  password: |"))
        #expect(out.split(separator: "\n", omittingEmptySubsequences: false).count == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test func kubernetesSecretDataMaps() {
        let yaml = "apiVersion: v1\ndata:\n  password: aHVudGVyMg==\n  tls.key: TFMwdExTMUNSVWRKVGlCU1UwRT0=\nkind: Secret\nstringData:\n  note: plain-Zq8s\n"
        let out = redactor.redact(yaml)
        for secret in ["aHVudGVyMg==", "TFMwdExTMUNSVWRKVGlCU1UwRT0=", "plain-Zq8s"] { #expect(!out.contains(secret), "\(out)") }
        #expect(out.contains("  tls.key: [REDACTED:kubernetes_secret]") && out.contains("kind: Secret"))
        let json = #"{"kind":"Secret","data":{"ca.crt":"TFMwdExTMUNSVWRKVGlCU1UwRT0=","namespace":"Y2ktd2Vi"}}"#
        let jsonOut = redactor.redact(json)
        #expect(!jsonOut.contains("TFMwdExTMUNSVWRKVGlCU1UwRT0=") && !jsonOut.contains("Y2ktd2Vi"), "\(jsonOut)")
        #expect(jsonOut.contains(#""ca.crt":"[REDACTED:kubernetes_secret]""#), "\(jsonOut)")
    }

    @Test func aConfigMapsPlainDataStays() {
        let yaml = "data:\n  level: info\n  mode: fast\n"
        #expect(redactor.redact(yaml) == yaml)
    }

    @Test func jsonValueOnTheNextLine() {
        let out = redactor.redact("{\n  \"client_secret\":\n    \"Zq8s2kLm0xWq\"\n}")
        #expect(!out.contains("Zq8s2kLm0xWq"), "\(out)")
    }

    /// Line by line (as the excerpt redacts), a value finds its key on the block's opening line.
    @Test func lineByLineFindsTheKeyAboveTheBlock() {
        let log = "step 1\nconfig:\n  password: |\n    first-line-Zq8s\n    second-line-Xk2p\n  user: app\ndata:\n  tls.key: TFMwdExTMUNSVWRKVGlCU1UwRT0=\n{\n  \"client_secret\":\n    \"Zq8s2kLm0xWq\"\n}\n"
        let out = RedactedLog.byLine(Array(log.utf8))
        for secret in ["first-line-Zq8s", "second-line-Xk2p", "TFMwdExTMUNSVWRKVGlCU1UwRT0=", "Zq8s2kLm0xWq"] {
            #expect(!out.contains(secret), "\(out)")
        }
        #expect(out.contains("  user: app"))
    }

    @Test(arguments: [
        "HEAD is now at 3f2a9c41b7d0e8f6a5c4b3a2918d7e6f5c4b3a29 Merge pull request #812",
        "Pulling quay.io/org/app@sha256:9b2c7d1e4f6a8b0c2d4e6f8a0b1c3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a3b4c",
        "image: registry.example.com/team/app:main-3f2a9c41b7d0e8f6a5c4b3a2918d7e6f5c4b3a29",
        "org.springframework.beans.factory.BeanCreationException: Error creating bean",
        "FAILED tests/test_auth.py::test_token_expiry_rejects_stale_session - AssertionError",
        "--- FAIL: TestCheckoutTokenRefreshWithExpiredSession (0.03s)",
        "pod build-pipeline-run-x7k2p-fetch-source-pod failed",
        "uid 8f3c2a1e-4b5d-4c6e-9f7a-1b2c3d4e5f6a",
    ])
    func namesHashesAndDigestsAreNoTokens(line: String) {
        #expect(redactor.redact(line) == line)
    }

    @Test(arguments: ["dckr_pat_eGyPST6WXl2F_RwoEj3JMQV06UT", "sq0csp-4G_yNQY6zxPO-mmgOm0hfvX_hwdDLyx50X_7Ke7fwK5", "xapi-Qw3rTy8uIo2pAs5dFg7hJk9l"])
    func unknownPrefixedTokens(token: String) {
        let out = redactor.redact("error: rejected \(token) (401)")
        #expect(!out.contains(token), "\(out)")
    }
}
