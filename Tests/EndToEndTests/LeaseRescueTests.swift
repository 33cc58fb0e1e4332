import Foundation
import MCPClient
import Queue
import Testing
import TestSupport

extension EndToEndTests {
    /// 5, timing: a crashed worker's job returns to the queue about one lease TTL after the
    /// crash (WorkerConfiguration.leaseTTL's promise), not at the next slow rescuer sweep.
    @Test func aCrashedWorkersJobComesBackAfterTheLeaseTTL() async throws {
        let crash = try await CrashedWorker(pod: "rescue-run-r5c9e-unit-tests-pod", run: 5, environment: ["AGENT_LEASE_TTL_SECONDS": "2"])
        defer { crash.ingest.kill() }
        let (queue, id, environment) = (crash.queue, crash.jobID, crash.environment)
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
        // TTL 2 s, plus a generous allowance for a loaded suite (seconds without a thread).
        #expect(took < .seconds(30), "the job came back \(took) after the crash")
    }
}
