import Testing
@testable import Worker

@Suite struct PodStatusReaderTests {
    // Shaped like `pods_get` of kubernetes-mcp-server: keys sorted, lastState before state.
    let tektonPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: build-7x9k2-test-pod
          namespace: ci
        status:
          containerStatuses:
          - containerID: containerd://aaa
            image: golang:1.22
            lastState: {}
            name: step-build
            ready: false
            restartCount: 0
            state:
              terminated:
                exitCode: 0
                finishedAt: "2026-11-26T08:00:10Z"
                reason: Completed
          - containerID: containerd://bbb
            lastState:
              terminated:
                exitCode: 137
                finishedAt: "2026-11-26T07:59:00Z"
                reason: OOMKilled
            name: step-test
            restartCount: 1
            state:
              terminated:
                exitCode: 2
                finishedAt: "2026-11-26T08:00:20Z"
                reason: Error
          - containerID: containerd://ccc
            name: step-upload
            restartCount: 0
            state:
              terminated:
                exitCode: 1
                finishedAt: "2026-11-26T08:00:21Z"
                reason: Error
          phase: Failed
        """

    @Test func findsTheFirstFailedStepNotTheSkippedOnes() {
        let reader = PodStatusReader(yaml: tektonPod)
        #expect(reader.containers.map(\.name) == ["step-build", "step-test", "step-upload"])
        let failed = reader.firstFailedContainer
        #expect(failed?.name == "step-test")
        // The exit code comes from `state`, not `lastState`.
        #expect(failed?.exitCode == 2 && failed?.reason == "Error" && failed?.restartCount == 1)
    }

    @Test func theStateOfTheReportedContainerOrElseOfTheFirstFailed() {
        let reader = PodStatusReader(yaml: tektonPod)
        #expect(reader.state(of: "step-upload")?.exitCode == 1)
        #expect(reader.state(of: nil)?.name == "step-test")
        // Not another container's state for a container the status does not list.
        #expect(reader.state(of: "step-missing") == nil)
    }

    @Test func noFailedContainerInAHealthyOrUnreadablePod() {
        #expect(PodStatusReader(yaml: "status:\n  containerStatuses:\n  - name: app\n    state:\n      running:\n        startedAt: x\n").firstFailedContainer == nil)
        #expect(PodStatusReader(yaml: "pods \"x\" not found").containers.isEmpty)
    }
}
