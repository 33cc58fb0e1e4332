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
