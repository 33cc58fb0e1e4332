import Foundation
import JSON
import MCPClient
import Queue
import Store
import Testing
import TestSupport

extension EndToEndTests {
    /// Twenty kinds of secrets, each with a value that must never leave the process.
    static let plantedSecrets: [(kind: String, line: String, value: String)] = [
        ("aws access key id", "export AWS_ACCESS_KEY_ID=AKIAQ7XWERTYUIOPLKJH", "AKIAQ7XWERTYUIOPLKJH"),
        ("aws secret", "aws_secret_access_key = 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", "Zq8xW3vR7tY2uI9oP4aS6dF1gH5jK0lL3mN8bV2c"),
        ("github token", "git clone using ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s99", "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s99"),
        ("github pat", "GH_PAT github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv"),
        ("gitlab token", "registry login with glpat-Xy9Zw8Vu7Ts6Rq5Po4Nm", "glpat-Xy9Zw8Vu7Ts6Rq5Po4Nm"),
        ("slack token", "notify via xoxb-2048-4096-QwErTyUiOpAsDfGh", "xoxb-2048-4096-QwErTyUiOpAsDfGh"),
        ("slack webhook", "POST https://hooks.slack.com/services/T0PLANT/B0PLANT/WhSecretPath123", "hooks.slack.com/services/T0PLANT/B0PLANT/WhSecretPath123"),
        ("jwt", "id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlUGxhbnRlZA", "eyJzdWIiOiJwbGFudGVkIn0"),
        ("authorization header", "> Authorization: Basic cGxhbnRlZDpiYXNpY3Bhc3N3b3Jk", "cGxhbnRlZDpiYXNpY3Bhc3N3b3Jk"),
        ("bearer token", "curl -H 'X-Auth: Bearer PlantedBearerValue0123456789'", "PlantedBearerValue0123456789"),
        ("cookie", "< Set-Cookie: sid=PlantedCookieValue42; Path=/", "PlantedCookieValue42"),
        ("url password", "fatal: unable to access https://deployer:PlantedUrlPw77@git.example.com/app.git", "PlantedUrlPw77"),
        ("docker auths", #"{"auths":{"registry.example.com":{"auth":"cGxhbnRlZGRvY2tlcmF1dGg="}}}"#, "cGxhbnRlZGRvY2tlcmF1dGg="),
        ("password assignment", "DB_PASSWORD=PlantedDbPassw0rd", "PlantedDbPassw0rd"),
        ("token assignment", "token=PlantedTokenAssign9", "PlantedTokenAssign9"),
        ("secret assignment", "client_secret=PlantedClientSecret8", "PlantedClientSecret8"),
        ("api key", "api_key: PlantedApiKeyValue7", "PlantedApiKeyValue7"),
        ("password flag", "mysql -u root --password PlantedFlagPw6", "PlantedFlagPw6"),
        ("private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAplantedPrivateKeyBody5\n-----END RSA PRIVATE KEY-----", "plantedPrivateKeyBody5"),
        ("high entropy", "hmac_signature: 8fK2pQ9xZ3mW7vB1nR5tY0cL4hJ6gD2s", "8fK2pQ9xZ3mW7vB1nR5tY0cL4hJ6gD2s"),
    ]

    /// 6. A log with twenty kinds of planted secrets → none of them reaches the model, the
    /// transcript, or the issue.
    @Test func plantedSecretsNeverLeave() async throws {
        #expect(Set(Self.plantedSecrets.map(\.kind)).count == 20)
        let pod = "release-run-s3cr7-unit-tests-pod"
        let log = FailingLogs.goTestFailure(run: 6).split(separator: "\n").prefix(30).joined(separator: "\n") + "\n"
            + Self.plantedSecrets.map(\.line).joined(separator: "\n") + "\n"
            + "--- FAIL: TestDeploy (0.01s)\n    deploy_test.go:17: login failed with DB_PASSWORD=PlantedDbPassw0rd\nFAIL\nexit status 1\n"
        let scenario = try await Scenario(pods: ["ci/\(pod)": log])
        // The model reads the whole log and then, careless, quotes every secret in its answer;
        // the worker makes the issue from that answer.
        let quoted = Self.plantedSecrets.map(\.line).joined(separator: "\n")
        try await scenario.model.script([
            ScriptedModel.toolCall("pods_log", ["namespace": "ci", "name": pod, "container": FailingLogs.container, "tailLines": 1000]),
            // Its detailed error quotes this log's failure, so the issue passes the quality gates.
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)").replacingOccurrences(
                of: "## Possible causes", with: "--- FAIL: TestDeploy (0.01s)\n\n## Possible causes") + "\n\nThe log shows:\n" + quoted),
        ])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment())
        defer { agent.kill() }
        let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
        #expect(answer.body["status"] == "success", "\(answer.body.jsonText)\n\(agent.stderr.suffix(3000))")
        let id = try Scenario.jobID(answer.location)

        let modelSaw = try await scenario.model.requests()
        #expect(modelSaw.count == 2)
        let sentToModel = Self.strings(in: modelSaw)
        #expect(sentToModel.contains("[REDACTED:"), "the log reached the model, redacted")
        #expect(sentToModel.contains("deploy_test.go:17"), "the log reached the model")

        let transcript = try await AgentCtl.transcript(job: id, database: scenario.databasePath)
        let stored = try await scenario.openQueue().database.read { db in
            try db.query("SELECT coalesce(content, '') || coalesce(tool_arguments, '') || coalesce(tool_result, '') || coalesce(tool_calls, '') FROM transcript_entries WHERE job_id = ?", [id]) { $0.string(0) }
        }.joined(separator: "\n")
        #expect(stored.contains("[REDACTED:"))
        let gitea = try await scenario.peers.giteaRequests()
        let issueBodies = try await scenario.peers.issues(repo: scenario.repository).compactMap { $0["body"]?.stringValue }
        #expect(issueBodies.count == 1)
        #expect(issueBodies.first?.contains("[REDACTED:") == true, "the model's quote reached the issue, redacted")

        let places: [(String, String)] = [
            ("model requests", sentToModel), ("agentctl transcript", Self.strings(in: transcript)),
            ("stored transcript", stored), ("fake Gitea requests", gitea.map(Self.strings(in:)).joined(separator: "\n")),
            ("issue bodies", issueBodies.joined(separator: "\n")),
        ]
        for (place, text) in places {
            for secret in Self.plantedSecrets where text.contains(secret.value) {
                Issue.record("the \(secret.kind) \(secret.value) leaked into the \(place)")
            }
        }
    }

    /// Every string in a JSON document (keys and values), so that escaping cannot hide a value.
    static func strings(in value: Any) -> String {
        switch value {
        case let text as String: return text
        case let array as [Any]: return array.map(strings(in:)).joined(separator: "\n")
        case let object as [String: Any]: return object.map { $0.key + "\n" + strings(in: $0.value) }.joined(separator: "\n")
        default: return ""
        }
    }

    static func strings(in value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .array(let array): return array.map(strings(in:)).joined(separator: "\n")
        case .object(let object): return object.map { $0.key + "\n" + strings(in: $0.value) }.joined(separator: "\n")
        default: return ""
        }
    }
}
