import Foundation
import JSON
@testable import MCPClient
import Testing
import TestSupport
@testable import Worker

/// How the Kubernetes MCP stand-in's events_list misbehaves (its fixture keys).
enum EventsTrouble: String, CaseIterable, Sendable {
    /// An RBAC refusal, as isError.
    case error
    /// 5 MB, over the client's 4 MB message limit.
    case tooLarge

    var fixture: [String: Any] {
        switch self {
        case .error: ["eventsError": "events is forbidden: User cannot list resource \"events\" in API group \"\""]
        case .tooLarge: ["eventsBytes": 5_000_000]
        }
    }
}

/// Evidence from the Kubernetes MCP stand-in (the real server's tool schemas, fixture pods).
@Suite struct EvidenceCollectorTests {
    static let pod = "build-and-test-run-7x9k2-unit-tests-pod"

    func collector(_ peer: TestPeer) -> EvidenceCollector {
        EvidenceCollector(kubernetes: MCPClient(configuration: MCPServerConfiguration(
            url: peer.baseURL + "/sse", transport: .sse, timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20)))))
    }

    @Test func findsTheFailedContainerWhenTheReportNamesNone() async throws {
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        defer { peer.stop() }
        let evidence = try await collector(peer).collect(namespace: "ci", pod: Self.pod, container: nil)
        #expect(evidence.container == "step-unit-tests")
        #expect(evidence.log.contains("--- FAIL: TestParseConfig"))
        #expect(evidence.pod?.contains("phase: Failed") == true)
        #expect(evidence.events?.contains("Back-off restarting failed container") == true)
    }

    @Test func usesTheReportedContainerAndRefusesAnUnknownPod() async throws {
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        defer { peer.stop() }
        let evidence = try await collector(peer).collect(namespace: "ci", pod: Self.pod, container: "step-git-clone")
        #expect(evidence.container == "step-git-clone" && evidence.log.contains("Cloning into"))

        await #expect {
            _ = try await collector(peer).collect(namespace: "ci", pod: "no-such-pod", container: nil)
        } throws: { error in
            guard let error = error as? EvidenceError, case .unknownPod = error else { return false }
            return !error.jobFailure.retryable && error.jobFailure.errorClass == "unknown_pod"
        }
    }

    @Test func aKubernetesAPIErrorIsRetriedButNotFoundIsNot() async throws {
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        defer { peer.stop() }
        await #expect {
            _ = try await collector(peer).collect(namespace: "ci", pod: "flaky-apiserver-pod", container: nil)
        } throws: { error in
            guard let error = error as? EvidenceError, case .toolFailed = error else { return false }
            return error.jobFailure.retryable && error.jobFailure.errorClass == "mcp_tool_error"
                && error.jobFailure.message.contains("unable to handle the request")
        }
    }

    @Test func theLogIsAskedForWithTheServersTailArgument() async throws {
        // The stand-in declares `tail` (default 100) like containers/kubernetes-mcp-server; the
        // fixture log is short, so check the argument through the schema reader as well.
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        defer { peer.stop() }
        let tools = try await collector(peer).kubernetes.listTools()
        #expect(EvidenceCollector.tailArgument(of: try #require(tools.first { $0.name == "pods_log" })) == "tail")
        let legacy = try #require(MCPTool(["name": "pods_log", "inputSchema": ["type": "object", "properties": ["tailLines": ["type": "integer"]]]]))
        #expect(EvidenceCollector.tailArgument(of: legacy) == "tailLines")
        let none = try #require(MCPTool(["name": "pods_log", "inputSchema": ["type": "object"]]))
        #expect(EvidenceCollector.tailArgument(of: none) == nil)
    }

    /// Events are best-effort: an error or an answer over the size limit (5 MB against 4 MB)
    /// leaves a note, the log is still read, and later calls on the same session still work.
    @Test(arguments: EventsTrouble.allCases)
    func eventsThatFailOrAreTooLargeAreSkippedWithANote(trouble: EventsTrouble) async throws {
        let directory = TemporaryDirectory()
        var fixtures: [String: Any] = ["pods": ["ci/\(Self.pod)": ["phase": "Failed", "containers": [
            "step-unit-tests": ["log": "--- FAIL: TestParseConfig (0.00s)\nexit status 1\n"]]]]]
        fixtures.merge(trouble.fixture) { $1 }
        let path = directory.path("pods.json")
        try JSONSerialization.data(withJSONObject: fixtures).write(to: URL(fileURLWithPath: path))
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse", "--fixtures", path])
        defer { peer.stop() }
        let collector = collector(peer)
        let evidence = try await collector.collect(namespace: "ci", pod: Self.pod, container: nil)
        #expect(evidence.log.contains("--- FAIL: TestParseConfig"))
        #expect(evidence.events == nil)
        let note = try #require(evidence.missing.first { $0.hasPrefix("events (events_list):") })
        #expect(note.contains(trouble == .error ? "forbidden" : "larger than the limit"), "\(note)")
        let again = try await collector.collect(namespace: "ci", pod: Self.pod, container: "step-unit-tests")
        #expect(again.log.contains("--- FAIL: TestParseConfig"))
    }

    @Test func aContainerThatNeverStartedHasAnEmptyLogNotAnError() async throws {
        // An image that will not pull: no container terminated, the log request is refused.
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        defer { peer.stop() }
        let evidence = try await collector(peer).collect(namespace: "ci", pod: "image-pull-pod", container: nil)
        #expect(evidence.container == "step-build")
        #expect(evidence.log.isEmpty)
        #expect(evidence.pod?.contains("ImagePullBackOff") == true)

        await #expect {
            _ = try await collector(peer).collect(namespace: "ci", pod: "image-pull-pod", container: "step-nope")
        } throws: { error in
            guard let error = error as? EvidenceError, case .unknownPod = error else { return false }
            return !error.jobFailure.retryable
        }
    }
}
