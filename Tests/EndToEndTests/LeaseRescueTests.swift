import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// 5, timing: a crashed worker's job returns to the queue about one lease TTL after the
    /// crash (WorkerConfiguration.leaseTTL's promise), not at the next slow rescuer sweep.
    @Test func aCrashedWorkersJobComesBackAfterTheLeaseTTL() async throws {
        let pod = "rescue-run-r5c9e-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 5)])
        try await scenario.model.script([
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")).merging(["delay": 20.0]) { $1 },
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")),
        ])
        let environment = scenario.environment(["AGENT_LEASE_TTL_SECONDS": "2"])
        let ingest = try await AgentProcess.webhook("ingest", environment: environment)
        defer { ingest.kill() }
        let id = try Scenario.jobID(try await ingest.report(namespace: "ci", pod: pod, container: FailingLogs.container).location)
        let queue = try scenario.openQueue()

        let crashing = try AgentProcess.worker(environment: environment)
        _ = try await eventually("the job to reach the model", timeout: .seconds(60)) {
            try await scenario.model.requests().isEmpty ? nil : true
        }
        crashing.kill()
        _ = try await crashing.child.wait(timeout: .seconds(10))
        let killed = ContinuousClock.now

        // The next worker starts while the dead worker's lease is still valid.
        let worker = try AgentProcess.worker(environment: environment)
        defer { worker.kill() }
        let job = try await eventually("job \(id) to succeed", timeout: .seconds(60)) {
            let job = try await queue.job(id: id)
            return job?.state == .succeeded ? job : nil
        }
        let took = ContinuousClock.now - killed
        #expect(job.attempts == 2)
        #expect(try await queue.attempts(jobID: id).first?.outcome == "lease_expired")
        // TTL 2 s, plus a generous allowance for a loaded machine; a 15 s sweep misses it.
        #expect(took < .seconds(10), "the job came back \(took) after the crash")
    }
}
