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
        let crash = try await CrashedWorker(
            pod: "restart-run-w7k2d-unit-tests-pod", run: 7, environment: ["AGENT_LEASE_TTL_SECONDS": "120", "AGENT_WORKER_ID": "w1"])
        defer { crash.ingest.kill() }
        let (queue, id, environment) = (crash.queue, crash.jobID, crash.environment)
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
        // The lease had 120 s left, which waiting for it would take; the promise is 10 s from
        // the restart (0.4 s measured alone), the bound leaves room for a loaded suite.
        #expect(took < .seconds(30), "the job finished \(took) after the restart")
    }
}
