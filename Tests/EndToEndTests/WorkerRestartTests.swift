import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// A worker SIGKILLed mid-job and restarted with the same identity (`AGENT_WORKER_ID`, the
    /// pod name in the chart) takes its job back at start: the job finishes within seconds of
    /// the restart, not after the 120 s lease TTL.
    @Test func aRestartedWorkerTakesBackItsOwnJobAtOnce() async throws {
        let pod = "restart-run-w7k2d-unit-tests-pod"
        let scenario = try await Scenario(pods: ["ci/\(pod)": FailingLogs.goTestFailure(run: 7)])
        try await scenario.model.script([
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")).merging(["delay": 20.0]) { $1 },
            ScriptedModel.text(IssueDraft.body(place: "ci/\(pod)")),
        ])
        let environment = scenario.environment(["AGENT_LEASE_TTL_SECONDS": "120", "AGENT_WORKER_ID": "w1"])
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
        let held = try #require(try await queue.job(id: id))
        #expect(held.state == .running && held.leaseOwner == "w1")

        let restarted = ContinuousClock.now
        let worker = try AgentProcess.worker(environment: environment)
        defer { worker.kill() }
        let job = try await eventually("job \(id) to succeed", timeout: .seconds(60)) {
            let job = try await queue.job(id: id)
            return job?.state == .succeeded ? job : nil
        }
        let took = ContinuousClock.now - restarted
        #expect(job.attempts == 2)
        let first = try #require(try await queue.attempts(jobID: id).first)
        #expect(first.outcome == "lease_expired" && first.errorClass == "reclaimed" && first.worker == "w1")
        #expect(worker.stderr.contains("reclaimed this worker's leases"), "\(worker.stderr.suffix(2000))")
        // The lease had 120 s left; the issue's promise is 10 s from the restart.
        #expect(took < .seconds(10), "the job finished \(took) after the restart")
    }
}
